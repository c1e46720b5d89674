#!/usr/bin/env bash
# The timed CNN searches: by default issue "Search that learns"'s, spaces/fashion-cnn-search.yaml (the model space
# of fashion-cnn.yaml, TPE + ASHA, max_minutes: 180) on the full Fashion-MNIST split, on every core, then the best
# network's test accuracy against a goal. Writes bench/results/NAME.{json,md}.
#   DB (a folder for the run's database; default: a fresh temporary one). With DB the search can be split over
#       several sittings: stop it (Ctrl-C or a killed machine) and run the script again with the same DB; the run
#       is resumed with the time its budget had left (`hpsearch resume`), and the report counts run time, not
#       the pause.
#   SPACE (spaces/fashion-cnn-search.yaml), DATA (../shared/data/fashion-mnist), OUT (bench/results)
#   MAX_MINUTES (the space's max_minutes): the whole run's budget, set when the run starts and kept by every
#       resume (which cannot extend it); a smaller one makes a shorter search, reported as such
#   NAME (cnn-search), GOAL (0.945: the test accuracy the issue asks for)
# Issue "Residual networks"'s 4-hour search: SPACE=spaces/fashion-cnn-augmented-search.yaml
#   NAME=cnn-augmented-search GOAL=0.9472 DB=DIR bench/accuracy/cnn-search.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
SPACE="${SPACE:-spaces/fashion-cnn-search.yaml}"; DATA="${DATA:-../shared/data/fashion-mnist}"
OUT="${OUT:-bench/results}"; NAME="${NAME:-cnn-search}"; GOAL="${GOAL:-0.945}"
if [ -n "${DB:-}" ]; then
  mkdir -p "$DB"; work="$(cd "$DB" && pwd)"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi
./hpsearch --version >/dev/null
. "$root/bench/lib.sh"
echo "SPACE=$SPACE DB=$work bench/accuracy/cnn-search.sh (commit $(git rev-parse --short HEAD))" >&2

status() { hp show 1 --db "$work/hpsearch" --format json 2>/dev/null \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"]["status"])' 2>/dev/null || echo NONE; }
start=$(date +%s)
# Each sitting's length, rewritten every minute while it runs: a sitting ended by a killed machine (where nothing
# after the run is reached) keeps its length to the minute.
mkdir -p "$work/sittings"
# The clock stops with this script ($$ is its pid in the subshell too), killed or not.
( while sleep 60 && kill -0 $$ 2>/dev/null; do echo "$(( $(date +%s) - start ))" >"$work/sittings/$start"; done ) &
clock=$!
case "$(status)" in
  NONE) hp run "$SPACE" --db "$work/hpsearch" --data "$DATA" ${MAX_MINUTES:+--max-minutes "$MAX_MINUTES"} \
          >>"$work/search.log" 2>&1 || true ;;
  COMPLETED) echo "run 1 in $work already finished; reporting it" >&2 ;;
  *) [ -z "${MAX_MINUTES:-}" ] || echo "MAX_MINUTES=$MAX_MINUTES is ignored: run 1 in $work keeps the budget it \
started with" >&2
     # Marked interrupted once its heartbeat is older than the grace; a killed process left it RUNNING.
     hp resume 1 --db "$work/hpsearch" --data "$DATA" --heartbeat-grace 2 >>"$work/search.log" 2>&1 || true ;;
esac
kill "$clock" 2>/dev/null || true
echo "$(( $(date +%s) - start ))" >"$work/sittings/$start"
tail -30 "$work/search.log" >&2
[ "$(status)" = COMPLETED ] || { echo "run 1 is $(status), not finished: run the script again with DB=$work" >&2; exit 1; }
hp show 1 --db "$work/hpsearch" --format json >"$work/show.json"
hp trials 1 --db "$work/hpsearch" --format json >"$work/trials.json"
BENCH_CPU="$(cpu_model)" python3 - "$work" "$OUT" "$SPACE" "$NAME" "$GOAL" <<'PY'
import collections, json, os, sys
work, out, space, name, goal = sys.argv[1:]
goal = float(goal)
show = json.load(open(f"{work}/show.json"))
trials = json.load(open(f"{work}/trials.json"))
# sittings.seconds: the lengths written by this script before sittings/ (one line per sitting that ended itself).
legacy = f"{work}/sittings.seconds"
sittings = [int(l) for l in open(legacy) if l.strip()] if os.path.exists(legacy) else []
sittings += [int(open(f"{work}/sittings/{f}").read()) for f in sorted(os.listdir(f"{work}/sittings"), key=int)]
cpu = os.environ["BENCH_CPU"]
states = collections.Counter(t["state"] for t in trials)
best = trials[0]
test = (show.get("test") or {}).get("accuracy")
budget = (show.get("resolvedSpace") or {}).get("max_minutes")
r = {"space": space, "machine": f"{cpu}, {os.cpu_count()} cores", "budget_minutes": budget,
     "sittings_seconds": sittings,
     "run_message": show["run"].get("message"), "trials": dict(states), "best_trial": best,
     "validation_accuracy": best.get("score"), "test_accuracy": test, "goal": goal}
os.makedirs(out, exist_ok=True)
json.dump(r, open(f"{out}/{name}.json", "w"), indent=2)
md = (f"CNN search ({space}, TPE + ASHA, budget {budget} min) on {r['machine']}: {sum(sittings) / 60:.0f} min in "
      f"{len(sittings)} sitting(s), {len(trials)} trials ({', '.join(f'{n} {s.lower()}' for s, n in states.items())}); "
      f"{r['run_message']}. Best trial {best['number']}: validation {best['score']:.4f}, test {test * 100:.2f} % "
      f"(goal >= {goal * 100:g} %: {'met' if test >= goal else 'not met'}).")
open(f"{out}/{name}.md", "w").write(md + "\n")
print(md)
PY
