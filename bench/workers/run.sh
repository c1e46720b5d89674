#!/usr/bin/env bash
# Many workers, one run (bench/README.md, "Workers"): what the store costs per trial on H2 and on PostgreSQL
# (CoordinationBench: claim, epoch write, completion), then the aggregate throughput of 1 and 2 `hpsearch worker`
# processes sharing a run through PostgreSQL on this machine, beside one process with 2 worker threads on H2, on the
# same space and seed. Needs the PostgreSQL that .ci/postgres starts. Writes bench/results/workers.{json,md}.
#   TRIALS (36), TRAIN_LIMIT (24000), DATA (../shared/data/fashion-mnist), COORD_TRIALS (300), OUT (bench/results)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
TRIALS="${TRIALS:-36}"; TRAIN_LIMIT="${TRAIN_LIMIT:-24000}"; DATA="${DATA:-../shared/data/fashion-mnist}"
COORD_TRIALS="${COORD_TRIALS:-300}"; OUT="${OUT:-bench/results}"
export PGPASSWORD="${PGPASSWORD:-hpsearch}"
pg="-h 127.0.0.1 -U hpsearch"
work="$(mktemp -d)"
dbs=()
cleanup() {
  for d in "${dbs[@]}"; do dropdb $pg --if-exists --force "$d" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fresh_db() {
  local name="hpsearch_bench_$$_$1"
  createdb $pg "$name"
  dbs+=("$name")
  echo "jdbc:postgresql://127.0.0.1:5432/$name?user=hpsearch"
}
echo "TRIALS=$TRIALS TRAIN_LIMIT=$TRAIN_LIMIT COORD_TRIALS=$COORD_TRIALS bench/workers/run.sh" >&2
cp="$("$root/bench/classpath.sh")"
./hpsearch --version >/dev/null # builds the jar once, outside the timings; the timed commands run it directly
. "$root/bench/lib.sh"

java -cp "$cp" io.hpsearch.bench.CoordinationBench "$(fresh_db coord)" "$work" "$COORD_TRIALS" >"$work/coord.log"
cat "$work/coord.log" >&2

cat >"$work/space.yaml" <<YAML
name: workers-bench
search: random
max_trials: $TRIALS
seed: 7
training: {epochs: 1, batch_size: 64, train_limit: $TRAIN_LIMIT}
model:
  type: mlp
  hidden_layers: {choice: [1, 2]}
  units: {choice: [128, 256, 512]}
  learning_rate: {min: 0.0005, max: 0.01, log: true}
YAML

seconds() { python3 -c "import time; print(time.time())"; }
# Workers sharing a run on PostgreSQL: record it, start N worker processes of one thread each, wait for all.
workers_on_postgres() {
  local n="$1" url
  url="$(fresh_db "w$n")"
  hp run "$work/space.yaml" --no-work --db "$url" --data "$DATA" >/dev/null
  local start; start="$(seconds)"
  local pids=()
  for i in $(seq 1 "$n"); do
    hp worker --db "$url" --data "$DATA" --workers 1 --threads 1 >"$work/worker-$n-$i.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  python3 -c "import time; print(round(time.time() - $start, 1))"
}
one_process_h2() {
  local start; start="$(seconds)"
  hp run "$work/space.yaml" --db "$work/h2/hpsearch" --data "$DATA" --workers 2 --threads 1 >"$work/h2.log" 2>&1
  python3 -c "import time; print(round(time.time() - $start, 1))"
}
one="$(workers_on_postgres 1)"
two="$(workers_on_postgres 2)"
h2="$(one_process_h2)"
echo "1 worker process (PostgreSQL): $one s; 2 worker processes (PostgreSQL): $two s; 1 process x 2 workers (H2): $h2 s" >&2

python3 - "$work/coord.log" "$OUT" "$one" "$two" "$h2" "$TRIALS" "$TRAIN_LIMIT" <<'PY'
import json, sys, re, pathlib
log, out, one, two, h2, trials, limit = sys.argv[1:]
text = pathlib.Path(log).read_text()
coord = json.loads(text[text.index("{"):])
one, two, h2 = float(one), float(two), float(h2)
result = {"machine": coord["machine"], "coordination": coord,
          "throughput": {"trials": int(trials), "train_limit": int(limit), "epochs": 1,
                         "one_worker_process_postgresql_s": one, "two_worker_processes_postgresql_s": two,
                         "one_process_two_workers_h2_s": h2, "speedup_two_processes": round(one / two, 2),
                         "two_processes_vs_one_process_h2": round(h2 / two, 2)}}
out = pathlib.Path(out); out.mkdir(parents=True, exist_ok=True)
(out / "workers.json").write_text(json.dumps(result, indent=2) + "\n")
def row(name, key):
    h, p = coord["h2"][key], coord["postgresql"][key]
    return f"| {name} | {h['p50']:.2f} / {h['p99']:.2f} | {p['p50']:.2f} / {p['p99']:.2f} | {p['p50'] / h['p50']:.1f}x |"
md = ["| per operation (ms, p50 / p99) | H2 | PostgreSQL | PostgreSQL / H2 |", "| --- | --- | --- | --- |",
      row("claim a trial", "claim_ms"), row("write an epoch", "epoch_write_ms"),
      row("complete a trial", "complete_ms"), row("complete a new best (2.5 MB model)", "complete_with_model_ms"),
      f"| per trial of {coord['epochs_per_trial']} epochs | {coord['h2']['per_trial_ms']:.1f} | "
      f"{coord['postgresql']['per_trial_ms']:.1f} | {coord['postgresql']['per_trial_ms'] / coord['h2']['per_trial_ms']:.1f}x |",
      "", f"| {trials} one-epoch trials, {limit} training examples | wall | trials/min |", "| --- | --- | --- |",
      f"| 1 worker process, PostgreSQL | {one:.1f} s | {int(trials) * 60 / one:.1f} |",
      f"| 2 worker processes, PostgreSQL | {two:.1f} s | {int(trials) * 60 / two:.1f} |",
      f"| 1 process x 2 workers, H2 | {h2:.1f} s | {int(trials) * 60 / h2:.1f} |", "",
      f"Machine: {coord['machine']}."]
(out / "workers.md").write_text("\n".join(md) + "\n")
print("\n".join(md))
PY
