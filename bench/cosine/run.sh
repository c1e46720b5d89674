#!/usr/bin/env bash
# Does a cosine-annealed learning rate let the reference CNN reach in EPOCHS (12) epochs what a constant rate
# reached in 30? Trains spaces/fashion-cnn-reference.yaml and its augmented twin with `learning_rate_schedule:
# cosine` over EPOCHS epochs (no early stopping), side by side, each on one core (1 worker x 1 thread), on the full
# Fashion-MNIST split, then each on the test set. Writes bench/results/cosine-cnn.{json,md}.
#   EPOCHS (12), DATA (../shared/data/fashion-mnist), OUT (bench/results)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
EPOCHS="${EPOCHS:-12}"; DATA="${DATA:-../shared/data/fashion-mnist}"; OUT="${OUT:-bench/results}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
./hpsearch --version >/dev/null
. "$root/bench/lib.sh"
echo "EPOCHS=$EPOCHS bench/cosine/run.sh (commit $(git rev-parse --short HEAD))" >&2
for name in reference reference-augmented; do
  # The space as published, annealed over EPOCHS epochs; patience past the last epoch: no early stopping.
  sed -e "s/^name: .*/name: cosine-$name/" -e "s/^  epochs: .*/  epochs: $EPOCHS/" \
      -e "s/patience: [0-9]*/patience: $((EPOCHS + 1))/" \
      -e 's/^  learning_rate: \(.*\)$/  learning_rate: \1\n  learning_rate_schedule: cosine/' \
      "spaces/fashion-cnn-$name.yaml" >"$work/$name.yaml"
  grep -q "learning_rate_schedule: cosine" "$work/$name.yaml"
done
core=0
for name in reference reference-augmented; do
  (timed "$work/$name" taskset -c $((core % $(nproc))) java -jar "$hp_jar" run "$work/$name.yaml" --workers 1 \
     --threads 1 --db "$work/$name/hpsearch" --data "$DATA"
   hp show 1 --db "$work/$name/hpsearch" --format json >"$work/$name.json" || rm -f "$work/$name.json"
   hp trials 1 --db "$work/$name/hpsearch" --format json >"$work/$name.trials.json" \
     || rm -f "$work/$name.trials.json") &
  core=$((core + 1))
done
wait

BENCH_CPU="$(cpu_model)" python3 - "$work" "$EPOCHS" "$OUT" <<'PY'
import json, os, sys
work, epochs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# The same spaces with their constant rate, from the accuracy benchmark's earlier runs (30 epochs planned).
before = {"reference": json.load(open(f"{out}/accuracy-cnn.json"))["models"]["cnn"],
          "reference-augmented": json.load(open(f"{out}/accuracy-cnn-augmented.json"))["models"]["cnn"]}
rows = []
def load(path, missing):  # a failed run wrote no JSON
    return json.load(open(path)) if os.path.exists(path) else missing
for name in ("reference", "reference-augmented"):
    show = load(f"{work}/{name}.json", {})
    trials = load(f"{work}/{name}.trials.json", [])
    t = trials[0] if trials else {}
    rows.append({"space": f"fashion-cnn-{name}.yaml", "schedule": "cosine", "epochs": epochs,
                 "val_accuracy": t.get("score"), "best_epoch": t.get("bestEpoch"),
                 "test_accuracy": (show.get("test") or {}).get("accuracy"),
                 "seconds": int(open(f"{work}/{name}.seconds").read())})
    b = before[name]
    rows.append({"space": f"fashion-cnn-{name}.yaml", "schedule": "constant (earlier run)",
                 "epochs": b["budget"]["epochs"], "val_accuracy": b["best_val_accuracy"],
                 "best_epoch": (b.get("best_trial") or {}).get("bestEpoch"), "test_accuracy": b["test_accuracy"],
                 "seconds": b["wall_seconds"]})
cpu = os.environ["BENCH_CPU"]
result = {"machine": f"{cpu}, {os.cpu_count()} cores", "each": "1 worker x 1 thread, one core each, side by side",
          "runs": rows}
json.dump(result, open(f"{out}/cosine-cnn.json", "w"), indent=2)
pct = lambda v: f"{v * 100:.2f} %" if v is not None else "failed"
md = [f"{result['machine']}; {result['each']}.", "",
      "| space | learning rate | epochs | best val acc (epoch) | test acc | wall |", "| --- | --- | --- | --- | --- | --- |"]
for r in rows:
    md.append(f"| {r['space']} | {r['schedule']} | {r['epochs']} | {pct(r['val_accuracy'])} ({r['best_epoch'] or '-'}) | "
              f"{pct(r['test_accuracy'])} | {r['seconds'] / 60:.0f} min |")
open(f"{out}/cosine-cnn.md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
