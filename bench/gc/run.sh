#!/usr/bin/env bash
# Do hpsearch's explicit collections (one per finished trial, one every 3 s while a network with batch-normalised
# convolutions trains: trainer/Net.java) cost more stopping the world, as by default, than run concurrently
# (-XX:+ExplicitGCInvokesConcurrent)? Side by side, alternating, REPS times: the CNN of bench/gc/cnn.yaml and the
# six MLPs of bench/throughput/space.yaml, each on 2 workers x 1 thread; wall time of the whole command, full-GC
# pauses from the GC log, peak resident size. Writes bench/results/gc-explicit.txt.
#   REPS (2), DATA (../shared/data/fashion-mnist)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bench/lib.sh"
cd "$root"
./hpsearch --version >/dev/null
data="${DATA:-../shared/data/fashion-mnist}"
out=bench/results/gc-explicit.txt
one() { # label java-options space
  local d s e
  d=$(mktemp -d)
  s=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$d/rss" java $2 -Xlog:gc:file="$d/gc.log" -jar "$hp_jar" run "$3" --db "$d/h" --data "$data" \
    --workers 2 --threads 1 >"$d/out" 2>&1
  e=$(date +%s.%N)
  python3 - "$1" "$s" "$e" "$d" <<'PY'
import re, sys
label, s, e, d = sys.argv[1:]
log = open(f"{d}/gc.log").read()
full = [float(m) for m in re.findall(r"Pause Full.*? ([0-9.]+)ms", log)]
print(f"{label}: wall {float(e) - float(s):.1f} s, {len(full)} full collections ({sum(full) / 1000:.2f} s), "
      f"{log.count('Concurrent Mark Cycle') // 2} concurrent cycles, peak RSS {int(open(f'{d}/rss').read()) // 1024} MiB")
PY
  rm -rf "$d"
}
{
  echo "bench/gc/run.sh (commit $(git rev-parse --short HEAD), $(cpu_model), $(nproc) cores)"
  for rep in $(seq "${REPS:-2}"); do
    one "cnn, stop-the-world" "" bench/gc/cnn.yaml
    one "cnn, concurrent    " "-XX:+ExplicitGCInvokesConcurrent" bench/gc/cnn.yaml
    one "mlp, stop-the-world" "" bench/throughput/space.yaml
    one "mlp, concurrent    " "-XX:+ExplicitGCInvokesConcurrent" bench/throughput/space.yaml
  done
} | tee "$out"
