#!/usr/bin/env bash
# Accuracy on two real tables: the digits and breast-cancer spaces (spaces/digits-mlp.yaml,
# spaces/breast-cancer-mlp.yaml), each a search through `./hpsearch run` with hpsearch's default workers and threads,
# timed, then written up by tables_report.py beside the published figures as bench/results/accuracy-tables.json/.md.
# The tables are read from ../shared/data beside the checkout (the spaces name them relative to their own folder).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/accuracy/tables.sh [--smoke] [--db DIR]
  --smoke     2 trials x 2 epochs each, to check the script; writes bench/results/accuracy-tables-smoke.*, never
              the real results
  --db DIR    folder for the runs' database and models (default: a fresh temporary folder, removed at the end
              unless KEEP_DB=1)
Variables (default): TABLES ("digits breast-cancer": the tables to run), DIGITS_SPACE (spaces/digits-mlp.yaml),
BREAST_CANCER_SPACE (spaces/breast-cancer-mlp.yaml), MAX_TRIALS and EPOCHS (empty: the space file's), WORKERS
(empty: hpsearch's default, one per core), KEEP_DB (0), RESULTS (accuracy-tables: the results' file name).
EOF
}

die() {
  echo "bench/accuracy/tables.sh: $*" >&2
  exit 1
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bench/lib.sh"
smoke=0
db_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --db) [ $# -ge 2 ] || die "--db needs a directory"; db_dir="$(realpath -m "$2")"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
cd "$root"

TABLES="${TABLES:-digits breast-cancer}"
DIGITS_SPACE="${DIGITS_SPACE:-spaces/digits-mlp.yaml}"
BREAST_CANCER_SPACE="${BREAST_CANCER_SPACE:-spaces/breast-cancer-mlp.yaml}"
MAX_TRIALS="${MAX_TRIALS:-}"
EPOCHS="${EPOCHS:-}"
WORKERS="${WORKERS:-}"
KEEP_DB="${KEEP_DB:-0}"
RESULTS="${RESULTS:-accuracy-tables}"
for var in MAX_TRIALS EPOCHS WORKERS; do
  [ -z "${!var}" ] || [[ "${!var}" =~ ^[1-9][0-9]*$ ]] || die "$var must be a positive integer, was '${!var}'"
done
if [ "$smoke" = 1 ]; then
  MAX_TRIALS=2 EPOCHS=2
fi
suffix=""
[ "$smoke" = 0 ] || suffix=-smoke

space_of() {
  case "$1" in
    digits) echo "$DIGITS_SPACE" ;;
    breast-cancer) echo "$BREAST_CANCER_SPACE" ;;
    *) die "unknown table '$1' in TABLES: expected digits or breast-cancer" ;;
  esac
}
for table in $TABLES; do
  space="$(space_of "$table")"
  [ -f "$space" ] || die "the $table space $space does not exist"
done

# Checked before any training: without `show` the runs' figures could not be read back. This also builds the jar.
if ! show_help="$(./hpsearch show --help 2>&1)"; then
  printf '%s\n' "$show_help" | tail -n 20 >&2
  die "'./hpsearch show' is not available (the build failed: output above); it is needed to read the results"
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
db="$db_dir/hpsearch"

reproduce_command() {
  local vars=""
  [ "$TABLES" = "digits breast-cancer" ] || vars+="TABLES='$TABLES' "
  [ "$DIGITS_SPACE" = spaces/digits-mlp.yaml ] || vars+="DIGITS_SPACE=$DIGITS_SPACE "
  [ "$BREAST_CANCER_SPACE" = spaces/breast-cancer-mlp.yaml ] || vars+="BREAST_CANCER_SPACE=$BREAST_CANCER_SPACE "
  if [ "$smoke" = 1 ]; then
    printf '%sbench/accuracy/tables.sh --smoke' "$vars"
    return
  fi
  [ -z "$MAX_TRIALS" ] || vars+="MAX_TRIALS=$MAX_TRIALS "
  [ -z "$EPOCHS" ] || vars+="EPOCHS=$EPOCHS "
  [ -z "$WORKERS" ] || vars+="WORKERS=$WORKERS "
  [ "$RESULTS" = accuracy-tables ] || vars+="RESULTS=$RESULTS "
  printf '%sbench/accuracy/tables.sh' "$vars"
}

dirty=no
[ -z "$(git status --porcelain -- . ':!bench/results')" ] || dirty=yes
{
  echo "cores=$(nproc)"
  echo "cpu=$(cpu_model)"
  echo "java=$(java -version 2>&1 | head -n 1)"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$(git rev-parse --short HEAD)"
  echo "uncommitted_changes=$dirty"
  echo "smoke=$smoke"
  echo "tables=$TABLES"
  echo "reproduce=$(reproduce_command)"
} >"$work/context"

quoted() {
  local line
  printf -v line '%q ' "$@"
  echo "${line% }"
}

failed=0
for table in $TABLES; do
  space="$(space_of "$table")"
  cmd=(./hpsearch run "$space" --db "$db")
  [ -z "$MAX_TRIALS" ] || cmd+=(--max-trials "$MAX_TRIALS")
  [ -z "$EPOCHS" ] || cmd+=(--epochs "$EPOCHS")
  [ -z "$WORKERS" ] || cmd+=(--workers "$WORKERS")
  dir="$work/$table"
  mkdir -p "$dir"
  echo "== $table: $(quoted "${cmd[@]}")"
  rc=0
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  start="$(date +%s.%N)"
  "${cmd[@]}" | tee "$dir/log" || rc=$?
  end="$(date +%s.%N)"
  run_id="$(awk '/^Run [0-9]+ /{ print $2; exit }' "$dir/log")"
  [ -n "$run_id" ] || die "$table: hpsearch run exited with code $rc before starting a run (its output is above)"
  ./hpsearch show "$run_id" --db "$db" --format json >"$dir/show.json"
  ./hpsearch trials "$run_id" --db "$db" --format json --top 1 >"$dir/trials.json"
  {
    echo "space=$space"
    echo "command=$(quoted "${cmd[@]}" | sed "s|$db|DB|g")"
    echo "exit_code=$rc"
    echo "wall_seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
    echo "load_average_before=$load_before"
    echo "load_average_after=$(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$dir/meta"
  [ "$rc" = 0 ] || failed=1
done

mkdir -p bench/results
python3 bench/accuracy/tables_report.py "$work" "bench/results/$RESULTS$suffix.json" \
  "bench/results/$RESULTS$suffix.md"
echo
echo "Reproduce every figure (from the repository root): $(reproduce_command)"
[ "$failed" = 0 ] || die "a run did not complete (see its status in the report)"
