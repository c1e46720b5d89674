#!/usr/bin/env bash
# Seconds per epoch of the reference residual network against the plain reference CNN, side by side in one process
# (ResNetBench): 40 training minibatches of 128 real images each on 1 ND4J thread and on every core, plus inference,
# scaled to an epoch of 48,000 + 12,000 images. Writes bench/results/resnet-epoch.json. About 5 minutes here.
#   BATCHES (40), DATA (../shared/data/fashion-mnist)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp="$("$root/bench/classpath.sh")"
java -cp "$cp" io.hpsearch.bench.ResNetBench "${DATA:-../shared/data/fashion-mnist}" bench/results/resnet-epoch.json \
  "${BATCHES:-40}" spaces/fashion-cnn-reference.yaml spaces/fashion-resnet-reference.yaml
