#!/usr/bin/env bash
# Search kinds side by side at the same budget of epochs (bench/README.md, "Search"): random, TPE, each with and
# without ASHA, and genetic, over several seeds, in one process. Writes bench/results/search.{json,png} and prints
# the command that reproduces them. Each search is written as it ends: stopped, the same command with the same OUT
# goes on from the searches written (a file written with other settings is refused, not overwritten).
#   BUDGET (epochs per search, default 200), SEEDS (5), TRAIN_LIMIT (0: the full 48,000/12,000 split),
#   KINDS (random,tpe,random+asha,tpe+asha,genetic; also tpe-multivariate[+asha]), SPACE (spaces/fashion-mlp.yaml), DATA (../shared/data/fashion-mnist),
#   ASHA (the +asha kinds' settings, default "min_epochs: 1, reduction_factor: 3"),
#   TPE (the tpe kinds' settings, for example "startup_trials: 5"; default none: Optuna's defaults)
#   --smoke: a minute's check that everything runs (20 epochs, 1 seed, 2,000 training examples).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUDGET="${BUDGET:-200}"; SEEDS="${SEEDS:-5}"; TRAIN_LIMIT="${TRAIN_LIMIT:-0}"
KINDS="${KINDS:-random,tpe,random+asha,tpe+asha,genetic}"
SPACE="${SPACE:-spaces/fashion-mlp.yaml}"; DATA="${DATA:-../shared/data/fashion-mnist}"
OUT="${OUT:-bench/results}"
if [ "${1:-}" = "--smoke" ]; then BUDGET=20; SEEDS=1; TRAIN_LIMIT=2000; OUT="$(mktemp -d)"; fi
cp="$("$root/bench/classpath.sh")"
cd "$root"
echo "BUDGET=$BUDGET SEEDS=$SEEDS TRAIN_LIMIT=$TRAIN_LIMIT KINDS=$KINDS SPACE=$SPACE ASHA=\"${ASHA:-min_epochs: 1, reduction_factor: 3}\"${TPE:+ TPE=\"$TPE\"} bench/search/run.sh" >&2
BENCH_COMMIT="$(git describe --always --dirty 2>/dev/null || echo unknown)" \
  java -cp "$cp" io.hpsearch.bench.SearchBench "$SPACE" "$DATA" "$OUT" "$BUDGET" "$SEEDS" "$TRAIN_LIMIT" "$KINDS"
echo "Results in $OUT/search.json and $OUT/search.png" >&2
