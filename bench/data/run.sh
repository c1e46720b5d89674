#!/usr/bin/env bash
# Loading a large table (bench/src/main/java/io/hpsearch/bench/CsvLoadBench.java): hpsearch's CSV reader against a
# plain readLine + split + parseFloat loop and DataVec's CSVRecordReader, reading the same generated file into the
# same float arrays, each contender in a JVM of its own. Two sizes (1,000,000 and 100,000 rows x 50 numeric columns
# + a 5-class label); about 10 minutes here. Writes bench/results/csv-load.{json,md}.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/data/run.sh [--smoke] [--dir DIR] [--keep]
  --smoke    20,000 and 2,000 rows, one repeat: checks the script in a minute; writes csv-load-smoke.* only
  --dir DIR  where the generated tables go (default: a fresh temporary folder); a table already there under the
             same name is reused (the generator is seeded, so it is the same file)
  --keep     keep the generated tables (by default they are deleted at the end)
Variables (default): ROWS (1000000), SMALL_ROWS (100000), COLUMNS (50), REPEATS (3: each contender's fastest run
is reported), HEAP (8g: every contender's -Xmx, so that their peak heaps compare).
EOF
}

die() {
  echo "bench/data/run.sh: $*" >&2
  exit 1
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bench/lib.sh"
smoke=0 keep=0 dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --keep) keep=1; shift ;;
    --dir) [ $# -ge 2 ] || die "--dir needs a directory"; dir="$(realpath -m "$2")"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
cd "$root"

ROWS="${ROWS:-1000000}"
SMALL_ROWS="${SMALL_ROWS:-100000}"
COLUMNS="${COLUMNS:-50}"
REPEATS="${REPEATS:-3}"
HEAP="${HEAP:-8g}"
if [ "$smoke" = 1 ]; then
  ROWS=20000 SMALL_ROWS=2000 REPEATS=1
fi
for var in ROWS SMALL_ROWS COLUMNS REPEATS; do
  [[ "${!var}" =~ ^[1-9][0-9]*$ ]] || die "$var must be a positive integer, was '${!var}'"
done
[[ "$HEAP" =~ ^[1-9][0-9]*[mMgG]$ ]] || die "HEAP must be a size such as 8g or 4096m, was '$HEAP'"
name=csv-load
[ "$smoke" = 0 ] || name=csv-load-smoke

work="$(mktemp -d)"
temp_dir=0
if [ -z "$dir" ]; then
  dir="$(mktemp -d)"
  temp_dir=1
fi
mkdir -p "$dir"
generated=()
cleanup() {
  rm -rf "$work"
  if [ "$keep" = 1 ]; then
    [ ${#generated[@]} = 0 ] || echo "Tables kept (--keep): ${generated[*]}"
  else
    [ ${#generated[@]} = 0 ] || rm -f "${generated[@]}"
    [ "$temp_dir" = 0 ] || rm -rf "$dir"
  fi
}
trap cleanup EXIT

reproduce_command() {
  # Smoke mode sets the sizes and repeats itself.
  if [ "$smoke" = 1 ]; then
    printf 'COLUMNS=%s HEAP=%s bench/data/run.sh --smoke' "$COLUMNS" "$HEAP"
  else
    printf 'ROWS=%s SMALL_ROWS=%s COLUMNS=%s REPEATS=%s HEAP=%s bench/data/run.sh' \
      "$ROWS" "$SMALL_ROWS" "$COLUMNS" "$REPEATS" "$HEAP"
  fi
}

cp="$(bench/classpath.sh)"
dirty=no
[ -z "$(git status --porcelain -- . ':!bench/results')" ] || dirty=yes
{
  echo "cores=$(nproc)"
  echo "cpu=$(cpu_model)"
  echo "memory_gib=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)"
  echo "java=$(java -version 2>&1 | head -n 1)"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$(git rev-parse --short HEAD)"
  echo "uncommitted_changes=$dirty"
  echo "smoke=$smoke"
  echo "heap=$HEAP"
  echo "repeats=$REPEATS"
  echo "load_average_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "reproduce=$(reproduce_command)"
} >"$work/context"
echo "Reproduce: $(reproduce_command) (commit $(git rev-parse --short HEAD), $(nproc) cores)"

contenders=(hpsearch hpsearch-prepare plain datavec)
for rows in "$ROWS" "$SMALL_ROWS"; do
  table="$dir/table-${rows}x${COLUMNS}.csv"
  if [ -f "$table" ]; then
    echo "Reusing $table"
  else
    generated+=("$table")
    java -cp "$cp" io.hpsearch.bench.CsvLoadBench generate "$table" "$rows" "$COLUMNS"
  fi
  # One unmeasured read, so that every contender finds the file in the page cache, the first one included.
  cat "$table" >/dev/null
  for ((repeat = 1; repeat <= REPEATS; repeat++)); do
    # Contenders take turns within a repeat: a busy spell on the shared machine then hits several of them.
    for contender in "${contenders[@]}"; do
      java -Xmx"$HEAP" -cp "$cp" io.hpsearch.bench.CsvLoadBench measure "$contender" "$table" \
        "$work/$rows-$contender-$repeat.json" 2> >(grep -v '^SLF4J' >&2)
    done
  done
done
echo "load_average_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/context"

mkdir -p bench/results
python3 bench/data/report.py "$work" "bench/results/$name.json" "bench/results/$name.md"
cat "bench/results/$name.md"
echo
echo "Reproduce every figure (from the repository root): $(reproduce_command)"
