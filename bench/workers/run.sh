#!/usr/bin/env bash
# Aggregate training throughput of one run, by workers x ND4J threads per worker, measured side by side in one go:
# 1 worker x 1 thread, 1 worker x all cores (the usual "one process, all threads"), one 1-thread worker per core.
# Usage: bench/workers/run.sh [DATA_DIR] [ROUNDS]     (default ../shared/data/fashion-mnist, 2 rounds)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-$root/../shared/data/fashion-mnist}"
rounds="${2:-2}"
cores="$(nproc)"
db="$(mktemp -d)/bench"
echo "cores: $cores; space: bench/workers/space.yaml (4 networks x 2 epochs x 48,000 examples)"
for round in $(seq "$rounds"); do
  for config in "1 1" "1 $cores" "$cores 1"; do
    read -r workers threads <<<"$config"
    line="$("$root/hpsearch" run "$root/bench/workers/space.yaml" --data "$data" --db "$db" --workers "$workers" \
      --threads "$threads" | grep '^Trained ')"
    echo "round $round: $line"
  done
done
rm -rf "$(dirname "$db")"
