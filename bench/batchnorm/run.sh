#!/usr/bin/env bash
# Batch normalisation's two paths side by side in one process (BatchNormBench): DL4J's own against the FastBatchNorm
# helper hpsearch attaches, on one ND4J thread, taking turns a round of minibatches at a time, for the augmented
# search's widest CNN, the reference CNN and the reference residual network. Writes bench/results/batchnorm.json.
# About 6 minutes here; run it on a quiet machine.
#   BATCHES (10 a round), ROUNDS (4), DATA (../shared/data/fashion-mnist)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp="$("$root/bench/classpath.sh")"
echo "Reproduce: BATCHES=${BATCHES:-10} ROUNDS=${ROUNDS:-4} bench/batchnorm/run.sh (commit $(git rev-parse --short HEAD), $(nproc) cores)"
java -cp "$cp" io.hpsearch.bench.BatchNormBench "${DATA:-../shared/data/fashion-mnist}" bench/results/batchnorm.json \
  "${BATCHES:-10}" "${ROUNDS:-4}" spaces/fashion-cnn-reference.yaml spaces/fashion-resnet-reference.yaml
