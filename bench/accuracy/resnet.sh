#!/usr/bin/env bash
# The residual row of the published table (issue "Residual networks"): spaces/fashion-resnet-reference.yaml
# (ResNet-20) trained on ONE core (1 worker x 1 ND4J thread) within a time budget (target: >= 92.61 % test, the
# published ResNet50, within 2 hours), then evaluated on the test set. Writes bench/results/accuracy-resnet.{json,md}.
#   MINUTES (115: the budget leaves the test evaluation inside 2 hours), DATA (../shared/data/fashion-mnist), OUT
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
MINUTES="${MINUTES:-115}"; DATA="${DATA:-../shared/data/fashion-mnist}"; OUT="${OUT:-bench/results}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
./hpsearch --version >/dev/null
. "$root/bench/lib.sh"
echo "MINUTES=$MINUTES bench/accuracy/resnet.sh (commit $(git rev-parse --short HEAD))" >&2
start=$(date +%s)
hp run spaces/fashion-resnet-reference.yaml --workers 1 --threads 1 --max-minutes "$MINUTES" --db "$work/hpsearch" \
  --data "$DATA" >"$work/run.log" 2>&1 || true
seconds=$(( $(date +%s) - start ))
tail -30 "$work/run.log" >&2
hp show 1 --db "$work/hpsearch" --format json >"$work/show.json"
hp trials 1 --db "$work/hpsearch" --format json >"$work/trials.json"
BENCH_CPU="$(cpu_model)" python3 - "$work" "$seconds" "$MINUTES" "$OUT" <<'PY'
import json, os, sys
work, seconds, minutes, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
show = json.load(open(f"{work}/show.json"))
trial = json.load(open(f"{work}/trials.json"))[0]
cpu = os.environ["BENCH_CPU"]
test = (show.get("test") or {}).get("accuracy")
r = {"space": "spaces/fashion-resnet-reference.yaml", "machine": f"{cpu}, {os.cpu_count()} cores, 1 worker x 1 thread",
     "budget_minutes": minutes, "wall_seconds": seconds, "epochs": trial.get("epochs"),
     "validation_accuracy": trial.get("score"), "test_accuracy": test, "published_resnet50": 0.9261}
os.makedirs(out, exist_ok=True)
json.dump(r, open(f"{out}/accuracy-resnet.json", "w"), indent=2)
md = (f"ResNet-20 (spaces/fashion-resnet-reference.yaml) on one core ({r['machine']}), budget {minutes:g} min: "
      f"{r['epochs']} epochs, {seconds / 60:.1f} min in all, validation {r['validation_accuracy']:.4f}, test "
      f"{test * 100:.2f} % (published ResNet50: 92.61 %: {'met' if test >= 0.9261 else 'not met'}).")
open(f"{out}/accuracy-resnet.md", "w").write(md + "\n")
print(md)
PY
