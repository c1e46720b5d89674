#!/usr/bin/env bash
# Reproduces the Fashion-MNIST results table: the reference MLP space as a random search and the reference CNN,
# each timed, then written up by report.py beside the published figures as bench/results/accuracy.json and .md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/accuracy/run.sh [--smoke] [--data DIR] [--db DIR]
  --smoke     tiny budgets, to check the script (MLP 2 trials x 1 epoch on 1,000 examples, CNN 1 epoch on 500);
              writes bench/results/accuracy-smoke.json/.md, never the real results
  --data DIR  the Fashion-MNIST files (default: ../shared/data/fashion-mnist from the repository root)
  --db DIR    folder for the runs' database and models (default: a fresh temporary folder, removed at the end
              unless KEEP_DB=1)
Variables (default): MLP_TRIALS (30), MLP_EPOCHS (20), WORKERS (nproc), CNN_EPOCHS (30), CNN_FULL_EPOCHS (30),
CNN_THREADS (nproc), KEEP_DB (0), MLP_SPACE (spaces/fashion-mlp.yaml), CNN_SPACE
(spaces/fashion-cnn-reference.yaml), RESULTS (accuracy: the results' file name), SKIP_MLP (0), SKIP_CNN (0).
Smoke mode ignores MLP_TRIALS, MLP_EPOCHS and CNN_EPOCHS.
The two CSV tables (digits, breast cancer) have their own script: bench/accuracy/tables.sh.
EOF
}

die() {
  echo "bench/accuracy/run.sh: $*" >&2
  exit 1
}

readonly DEFAULT_MLP_TRIALS=30 DEFAULT_MLP_EPOCHS=20 DEFAULT_CNN_EPOCHS=30
# The spaces hold out 20 % of the 60,000 training images for validation.
readonly FULL_TRAIN_EXAMPLES=48000

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bench/lib.sh"
smoke=0
data="$(realpath -m "$root/../shared/data/fashion-mnist")"
db_dir=""
# Paths given on the command line are relative to the caller's directory, so they are resolved before the cd below.
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --data) [ $# -ge 2 ] || die "--data needs a directory"; data="$(realpath -m "$2")"; shift 2 ;;
    --db) [ $# -ge 2 ] || die "--db needs a directory"; db_dir="$(realpath -m "$2")"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
cd "$root"

MLP_TRIALS="${MLP_TRIALS:-$DEFAULT_MLP_TRIALS}"
MLP_EPOCHS="${MLP_EPOCHS:-$DEFAULT_MLP_EPOCHS}"
WORKERS="${WORKERS:-$(nproc)}"
CNN_EPOCHS="${CNN_EPOCHS:-$DEFAULT_CNN_EPOCHS}"
CNN_FULL_EPOCHS="${CNN_FULL_EPOCHS:-30}"
CNN_THREADS="${CNN_THREADS:-$(nproc)}"
KEEP_DB="${KEEP_DB:-0}"
# Another MLP space (e.g. spaces/fashion-mlp-tuned.yaml) and a results name, to add rows without overwriting these.
MLP_SPACE="${MLP_SPACE:-spaces/fashion-mlp.yaml}"
CNN_SPACE="${CNN_SPACE:-spaces/fashion-cnn-reference.yaml}"
RESULTS="${RESULTS:-accuracy}"
SKIP_MLP="${SKIP_MLP:-0}"
SKIP_CNN="${SKIP_CNN:-0}"
[ -f "$MLP_SPACE" ] || die "MLP_SPACE $MLP_SPACE does not exist"
[ -f "$CNN_SPACE" ] || die "CNN_SPACE $CNN_SPACE does not exist"
for var in MLP_TRIALS MLP_EPOCHS WORKERS CNN_EPOCHS CNN_FULL_EPOCHS CNN_THREADS; do
  [[ "${!var}" =~ ^[1-9][0-9]*$ ]] || die "$var must be a positive integer, was '${!var}'"
done

# Prints "VAR=value (default D); " when the variable is below its default: such a row ran on a reduced budget.
shortfall() {
  if [ "${!1}" -lt "$2" ]; then
    printf '%s=%s (default %s); ' "$1" "${!1}" "$2"
  fi
}

if [ "$smoke" = 1 ]; then
  mlp_trials=2 mlp_epochs=1 mlp_train=1000 cnn_epochs=1 cnn_train=500 suffix=-smoke
  mlp_reduced="smoke mode" cnn_reduced="smoke mode"
else
  mlp_trials=$MLP_TRIALS mlp_epochs=$MLP_EPOCHS cnn_epochs=$CNN_EPOCHS suffix=""
  mlp_train=$FULL_TRAIN_EXAMPLES cnn_train=$FULL_TRAIN_EXAMPLES
  mlp_reduced="$(shortfall MLP_TRIALS $DEFAULT_MLP_TRIALS)$(shortfall MLP_EPOCHS $DEFAULT_MLP_EPOCHS)"
  cnn_reduced="$(shortfall CNN_EPOCHS $DEFAULT_CNN_EPOCHS)"
fi

# Checked before any training: without `show` the runs' figures could not be read back. This also builds the jar.
if ! show_help="$(./hpsearch show --help 2>&1)"; then
  printf '%s\n' "$show_help" | tail -n 20 >&2
  die "'./hpsearch show' is not available (not in this build yet, or the build failed: output above);" \
    "it is needed to read the runs' results"
fi

work="$(mktemp -d)"
temp_db=0
if [ -z "$db_dir" ]; then
  db_dir="$(mktemp -d)"
  temp_db=1
fi
cleanup() {
  rm -rf "$work"
  if [ "$temp_db" = 1 ] && [ "$KEEP_DB" != 1 ]; then
    rm -rf "$db_dir"
  elif [ "$temp_db" = 1 ]; then
    echo "Database kept (KEEP_DB=1): $db_dir/hpsearch"
  fi
}
trap cleanup EXIT
mkdir -p "$db_dir"
# hpsearch's --db is the H2 file without its extension; the best models go beside it, in $db_dir/models.
db="$db_dir/hpsearch"

# The whole invocation, with only the variables this mode reads, so that every figure can be reproduced.
reproduce_command() {
  if [ "$smoke" = 1 ]; then
    printf 'MLP_SPACE=%s CNN_SPACE=%s WORKERS=%s CNN_THREADS=%s CNN_FULL_EPOCHS=%s bench/accuracy/run.sh --smoke --data %q' \
      "$MLP_SPACE" "$CNN_SPACE" "$WORKERS" "$CNN_THREADS" "$CNN_FULL_EPOCHS" "$data"
  else
    printf 'MLP_SPACE=%s MLP_TRIALS=%s MLP_EPOCHS=%s WORKERS=%s CNN_SPACE=%s CNN_EPOCHS=%s CNN_FULL_EPOCHS=%s CNN_THREADS=%s SKIP_MLP=%s SKIP_CNN=%s RESULTS=%s bench/accuracy/run.sh --data %q' \
      "$MLP_SPACE" "$MLP_TRIALS" "$MLP_EPOCHS" "$WORKERS" "$CNN_SPACE" "$CNN_EPOCHS" "$CNN_FULL_EPOCHS" "$CNN_THREADS" \
      "$SKIP_MLP" "$SKIP_CNN" "$RESULTS" "$data"
  fi
}

# Machine and invocation, as key=value lines for report.py.
write_context() {
  local cpu dirty=no
  cpu="$(cpu_model)"
  # Figures from uncommitted code cannot be reproduced from the commit alone (the results themselves do not count).
  [ -z "$(git status --porcelain -- . ':!bench/results')" ] || dirty=yes
  {
    echo "cores=$(nproc)"
    echo "cpu=$cpu"
    echo "java=$(java -version 2>&1 | head -n 1)"
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit=$(git rev-parse --short HEAD)"
    echo "uncommitted_changes=$dirty"
    echo "smoke=$smoke"
    echo "reproduce=$(portable "$(reproduce_command)")"
  } >"$work/context"
}

# The words of a command, shell-quoted where needed, on one line.
quoted() {
  local line
  printf -v line '%q ' "$@"
  echo "${line% }"
}

# A command as the results show it: no folder of this machine (the database folder reads DIR, the shared data
# beside the checkout ../shared).
portable() {
  local line="${1//"$db_dir"/DIR}"
  echo "${line//"$(dirname "$root")/shared"/../shared}"
}

# Appends KEY=VALUE lines (MODEL KEY=VALUE...) to MODEL's meta file for report.py, creating its folder.
write_meta() {
  local model="$1" line
  shift
  mkdir -p "$work/$model"
  for line in "$@"; do portable "$line"; done >>"$work/$model/meta"
}

# Runs MODEL's search (the rest: the hpsearch command line), timed, and saves its figures for report.py:
# show.json and trials.json, and its exit code and wall time in meta. A run that fails sets $failed: the other model
# still runs and both are reported. (It must not return the code: a caller's `||` would switch off set -e inside.)
run_model() {
  local model="$1" rc=0 start end run_id
  shift
  local dir="$work/$model"
  echo "== $model: $(quoted "$@")"
  start="$(date +%s.%N)"
  "$@" | tee "$dir/log" || rc=$?
  end="$(date +%s.%N)"
  # The first line hpsearch prints is "Run ID 'NAME': ..."; nothing was stored if it never came.
  run_id="$(awk '/^Run [0-9]+ /{ print $2; exit }' "$dir/log")"
  [ -n "$run_id" ] || die "$model: hpsearch run exited with code $rc before starting a run (its output is above)"
  ./hpsearch show "$run_id" --db "$db" --format json >"$dir/show.json"
  ./hpsearch trials "$run_id" --db "$db" --format json --top 1 >"$dir/trials.json"
  write_meta "$model" "ran=yes" "exit_code=$rc" \
    "wall_seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
  [ "$rc" = 0 ] || failed=1
}

write_context
failed=0

mlp_cmd=(./hpsearch run "$MLP_SPACE" --data "$data" --db "$db" --max-trials "$mlp_trials" --epochs "$mlp_epochs"
  --workers "$WORKERS")
[ "$smoke" = 0 ] || mlp_cmd+=(--train-limit "$mlp_train")
# threads=1: the MLP command leaves --threads to hpsearch's default, one ND4J thread per worker.
write_meta mlp "space=$MLP_SPACE" "command=$(quoted "${mlp_cmd[@]}")" "trials=$mlp_trials" "epochs=$mlp_epochs" "workers=$WORKERS" \
  "threads=1" "train_examples=$mlp_train" "reduced=${mlp_reduced%; }"
if [ "$SKIP_MLP" = 1 ]; then
  echo "== mlp: skipped (SKIP_MLP=1); the MLP row is marked 'not run'."
  write_meta mlp "ran=no" "reason=skipped (SKIP_MLP=1)"
else
  run_model mlp "${mlp_cmd[@]}"
fi

# One network: by default it gets every core (CNN_THREADS=1 leaves one free, e.g. for a second CNN run beside it).
cnn_cmd=(./hpsearch run "$CNN_SPACE" --data "$data" --db "$db" --epochs "$cnn_epochs" --workers 1 --threads "$CNN_THREADS")
[ "$smoke" = 0 ] || cnn_cmd+=(--train-limit "$cnn_train")
write_meta cnn "space=$CNN_SPACE" "command=$(quoted "${cnn_cmd[@]}")" "epochs=$cnn_epochs" "workers=1" \
  "threads=$CNN_THREADS" "train_examples=$cnn_train" "reduced=${cnn_reduced%; }" "full_epochs=$CNN_FULL_EPOCHS"
if [ "$SKIP_CNN" = 1 ]; then
  echo "== cnn: skipped (SKIP_CNN=1); the CNN row is marked 'not run'."
  write_meta cnn "ran=no" "reason=skipped (SKIP_CNN=1)"
else
  run_model cnn "${cnn_cmd[@]}"
fi

mkdir -p bench/results
python3 bench/accuracy/report.py "$work" "bench/results/$RESULTS$suffix.json" "bench/results/$RESULTS$suffix.md"
echo
echo "Reproduce every figure (from the repository root): $(reproduce_command)"
[ "$failed" = 0 ] || die "a run did not complete (see its status in the report)"
