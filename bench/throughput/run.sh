#!/usr/bin/env bash
# Issue 5's throughput benchmark: sgemm roofline, a plain DL4J loop, hpsearch and Arbiter's runner on the same six
# networks (bench/throughput/space.yaml), side by side in one JVM; then peak memory of a 100-trial run.
# Usage: bench/throughput/run.sh [--smoke] [DATA_DIR]     (default ../shared/data/fashion-mnist)
#   --smoke: 1 epoch on 2,000 training examples and 20 trials, to check the script; writes throughput-smoke.*
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=throughput
space="$root/bench/throughput/space.yaml"
memory_trials=100
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [[ "${1:-}" == "--smoke" ]]; then
  shift
  name=throughput-smoke
  memory_trials=20
  sed -e 's/epochs: 2,/epochs: 1, train_limit: 2000,/' "$space" >"$tmp/space.yaml"
  sed -e 's/epochs: 2,/epochs: 1, train_limit: 2000,/' "$(dirname "$space")/one.yaml" >"$tmp/one.yaml"
  space="$tmp/space.yaml"
fi
data="${1:-$root/../shared/data/fashion-mnist}"
out="$root/bench/results"
mkdir -p "$out"

cp="$("$root/bench/classpath.sh")"
echo "Reproduce: bench/throughput/run.sh $* (commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores)"
java -cp "$cp" io.hpsearch.bench.ThroughputBench "$data" "$space" "$out/$name.json"
java -cp "$cp" io.hpsearch.bench.MemoryBench "$data" "$memory_trials" "$out/$name.json"
python3 "$root/bench/throughput/report.py" "$out/$name.json" >"$out/$name.md"
cat "$out/$name.md"
