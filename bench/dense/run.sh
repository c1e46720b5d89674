#!/usr/bin/env bash
# An MLP's training step two ways side by side in one process (DenseBench): DL4J 1.0.0-M2.1's own against hpsearch's
# (FastDenseLayer and FastAdam), on one ND4J thread, taking turns a round of minibatches at a time, on the six networks of
# bench/throughput/space.yaml. Writes bench/results/dense.json. About 2 minutes here; run it on a quiet machine.
#   BATCHES (50 a round), ROUNDS (5), DATA (../shared/data/fashion-mnist)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp="$("$root/bench/classpath.sh")"
echo "Reproduce: BATCHES=${BATCHES:-50} ROUNDS=${ROUNDS:-5} bench/dense/run.sh (commit $(git rev-parse --short HEAD), $(nproc) cores)"
java -cp "$cp" io.hpsearch.bench.DenseBench "${DATA:-../shared/data/fashion-mnist}" bench/throughput/space.yaml \
  bench/results/dense.json "${BATCHES:-50}" "${ROUNDS:-5}"
