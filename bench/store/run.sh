#!/usr/bin/env bash
# The store under scale: one H2 database holding a run of 10,000 trials x 100 epochs (1,000,000 epoch rows), filled
# through the store's API, then the dashboard's API calls timed on loopback.
# Usage: bench/store/run.sh [--smoke]     (--smoke: 500 trials x 20 epochs; writes store-scale-smoke.*)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=store-scale trials=10000 epochs=100 requests=200
if [[ "${1:-}" == "--smoke" ]]; then
  name=store-scale-smoke trials=500 epochs=20 requests=50
fi
mkdir -p "$root/bench/results"
cp="$("$root/bench/classpath.sh")"
echo "Reproduce: bench/store/run.sh $* (commit $(git -C "$root" rev-parse --short HEAD))"
java -cp "$cp" io.hpsearch.bench.StoreScaleBench "$root/spaces/fashion-mlp.yaml" "$trials" "$epochs" "$requests" \
  "$root/bench/results/$name.json"
