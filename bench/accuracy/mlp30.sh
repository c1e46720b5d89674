#!/usr/bin/env bash
# The timed MLP search of issue "Search that learns": spaces/fashion-mlp-search.yaml (TPE + ASHA) on the full
# Fashion-MNIST split, timed (target: at most 30 minutes on 2 cores, best network >= 90.5 % test accuracy), then the
# best trial's network, every parameter fixed, retrained from scratch with 3 other seeds (mean and spread of their
# test accuracy: does the figure hold?). Writes bench/results/NAME.{json,md}.
#   SPACE (spaces/fashion-mlp-search.yaml), NAME (mlp-search), DATA (../shared/data/fashion-mnist),
#   SEEDS ("101 102 103"), OUT, KEEP (where the search's files are kept for REUSE; default a new temporary folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
SPACE="${SPACE:-spaces/fashion-mlp-search.yaml}"; DATA="${DATA:-../shared/data/fashion-mnist}"
SEEDS="${SEEDS:-101 102 103}"; OUT="${OUT:-bench/results}"; NAME="${NAME:-mlp-search}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
./hpsearch --version >/dev/null
. "$root/bench/lib.sh"
echo "SPACE=$SPACE NAME=$NAME SEEDS=\"$SEEDS\" bench/accuracy/mlp30.sh" >&2

if [ -n "${REUSE:-}" ]; then
  # REUSE=DIR: the search's files from an earlier run of this script (search.json, best.json, search.seconds),
  # to retrain again without searching again.
  cp "$REUSE/search.json" "$REUSE/best.json" "$REUSE/search.seconds" "$work/"
else
  start=$(date +%s)
  hp run "$SPACE" --db "$work/search/hpsearch" --data "$DATA" >"$work/search.log" 2>&1 || true
  echo "$(( $(date +%s) - start ))" >"$work/search.seconds"
  tail -40 "$work/search.log" >&2
  hp show 1 --db "$work/search/hpsearch" --format json >"$work/search.json"
  hp trials 1 --db "$work/search/hpsearch" --format json --top 1 >"$work/best.json"
  echo "search files kept for REUSE in ${KEEP:=$(mktemp -d)}" >&2
  mkdir -p "$KEEP"
  cp "$work/search.json" "$work/best.json" "$work/search.seconds" "$KEEP/"
fi
search_s=$(cat "$work/search.seconds")

# The best trial's network as a space with every parameter fixed (per-layer values as per_layer lists).
NAME="$NAME" python3 - "$SPACE" "$work/best.json" "$work/fixed.yaml" <<'PY'
import json, os, re, sys
space, best, out = sys.argv[1:]
text = open(space).read()
trial = json.load(open(best))[0]
p = trial["params"]
layers = int(p["hidden_layers"])
def per_layer(key):
    return "{per_layer: [" + ", ".join(json.dumps(p[f"{key}_{i}"]) for i in range(1, layers + 1)) + "]}"
model = ["model:", "  type: mlp", f"  input_dropout: {p.get('input_dropout', 0.0)}", f"  hidden_layers: {layers}",
         f"  units: {per_layer('units')}", f"  dropout: {per_layer('dropout')}"]
if all(f"batch_norm_{i}" in p for i in range(1, layers + 1)):
    model.append(f"  batch_norm: {per_layer('batch_norm')}")
for key in ("l2", "optimizer", "learning_rate", "learning_rate_schedule", "activation"):
    if key in p:
        model.append(f"  {key}: {json.dumps(p[key])}")
head = text[:text.index("\nmodel:")]
head = re.sub(r"(?m)^search:.*$", "search: grid", head)
head = re.sub(r"(?m)^max_trials:.*$", "max_trials: 1", head)
head = re.sub(r"(?m)^pruner:.*\n", "", head)
head = re.sub(r"(?m)^max_minutes:.*\n", "", head)  # the network alone, trained to its end
head = re.sub(r"(?m)^name:.*$", "name: " + os.environ["NAME"] + "-best", head)
open(out, "w").write(head + "\n" + "\n".join(model) + "\n")
PY
cat "$work/fixed.yaml" >&2
# One process per seed, side by side, each on one thread (the seeds' runs are independent).
for seed in $SEEDS; do
  (timed "$work/retrain-$seed" hp run "$work/fixed.yaml" --seed "$seed" --workers 1 --threads 1 \
     --db "$work/retrain-$seed/hpsearch" --data "$DATA"
   hp show 1 --db "$work/retrain-$seed/hpsearch" --format json >"$work/retrain-$seed.json" \
     || rm -f "$work/retrain-$seed.json") &
done
wait

BENCH_CPU="$(cpu_model)" python3 - "$work" "$search_s" "$SEEDS" "$OUT" "$SPACE" "$NAME" <<'PY'
import json, os, statistics, sys
work, search_s, seeds, out, space, name = (sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4],
                                          sys.argv[5], sys.argv[6])
search = json.load(open(f"{work}/search.json"))
best = json.load(open(f"{work}/best.json"))[0]
def test_acc(show):
    return (show.get("test") or {}).get("accuracy")
retrains = []
for s in seeds:
    path = f"{work}/retrain-{s}.json"
    r = json.load(open(path)) if os.path.exists(path) else {}  # a failed retrain has no test accuracy
    retrains.append({"seed": int(s), "test_accuracy": test_acc(r),
                     "seconds": int(open(f"{work}/retrain-{s}.seconds").read())})
accs = [r["test_accuracy"] for r in retrains if r["test_accuracy"] is not None]
cpu = os.environ["BENCH_CPU"]
result = {"space": os.path.basename(space), "machine": f"{cpu}, {os.cpu_count()} cores",
          "search_seconds": search_s, "search_status": search["run"]["status"] if "run" in search else None,
          "search_test_accuracy": test_acc(search), "best_trial": best,
          "retrained": retrains, "retrained_mean": statistics.mean(accs) if accs else None,
          "retrained_stdev": statistics.stdev(accs) if len(accs) > 1 else None,
          "retrained_range": [min(accs), max(accs)] if accs else None}
os.makedirs(out, exist_ok=True)
json.dump(result, open(f"{out}/{name}.json", "w"), indent=2)
md = [f"Search ({result['space']}): {search_s / 60:.1f} min on {result['machine']}; best trial "
      f"{best['number']}, validation {best['score']:.4f}, test {result['search_test_accuracy'] * 100:.2f} %.",
      "", "| retrained with seed | test accuracy | seconds |", "| --- | --- | --- |"]
md += [f"| {r['seed']} | " + (f"{r['test_accuracy'] * 100:.2f} %" if r["test_accuracy"] is not None else "failed")
       + f" | {r['seconds']} |" for r in retrains]
if accs:
    md += ["", f"Mean {statistics.mean(accs) * 100:.2f} %, standard deviation "
           f"{(statistics.stdev(accs) if len(accs) > 1 else 0) * 100:.2f} points, range "
           f"{min(accs) * 100:.2f}-{max(accs) * 100:.2f} %."]
open(f"{out}/{name}.md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
