#!/usr/bin/env bash
# Issue 16's probe: where a second native thread goes, and which ND4J natives are fastest here. One JVM per setting
# (OpenMP reads OMP_WAIT_POLICY at start; JavaCPP loads one set of natives per process), each training one network of
# bench/threads/*.yaml (and the reference CNN) for a fixed number of minibatches with W copies side by side, OpenBLAS
# (gemm) and OpenMP (libnd4j's other ops, oneDNN) thread counts set separately. Writes bench/results/threads-probe.*
# Usage: bench/threads/probe.sh [DATA_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-$root/../shared/data/fashion-mnist}"
out="$root/bench/results"
mkdir -p "$out"
cp="$("$root/bench/classpath.sh")"
natives="$HOME/.m2/repository/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-linux-x86_64"
for extra in onednn-avx2 onednn-avx512; do
  [ -f "$natives-$extra.jar" ] || (cd "$root" && mvn -q dependency:get -Dtransitive=false \
    -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-$extra >/dev/null)
  cp="$cp:$natives-$extra.jar"
done
results="$out/threads-probe.jsonl"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
: >"$results"
echo "Reproduce: bench/threads/probe.sh (commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores)" >&2

probe() { # NETWORK_LABEL SPACE BATCHES WORKERS BLAS OMP NATIVES [ENV...]
  local label="$1" space="$2" batches="$3" workers="$4" blas="$5" omp="$6" ext="$7"
  shift 7
  if ! line=$(env "$@" java -Dorg.bytedeco.javacpp.platform.extension="$ext" -cp "$cp" io.hpsearch.bench.ThreadProbe \
      "$data" "$space" "$batches" "$workers" "$blas" "$omp" 2>"$tmp" | tail -1); then
    echo "probe failed: $label, $workers workers, blas $blas, omp $omp, $ext $*:" >&2
    tail -5 "$tmp" >&2
    return
  fi
  line="{\"network\": \"$label\", \"natives\": \"${ext:-plain}\", ${line#\{}"
  echo "$line" | tee -a "$results" >&2
}

for net in "mlp 1x512|$root/bench/threads/mlp-512.yaml|400" "mlp 4x512|$root/bench/threads/mlp-4x512.yaml|150" \
           "reference cnn|$root/spaces/fashion-cnn-reference.yaml|12"; do
  IFS='|' read -r label space batches <<<"$net"
  # Threads: one worker with 1 and 2 threads, the two libraries' counts apart, and OpenMP told not to spin.
  probe "$label" "$space" "$batches" 1 1 1 -onednn
  probe "$label" "$space" "$batches" 1 2 2 -onednn
  probe "$label" "$space" "$batches" 1 2 2 -onednn OMP_WAIT_POLICY=PASSIVE
  probe "$label" "$space" "$batches" 1 1 2 -onednn
  probe "$label" "$space" "$batches" 1 1 2 -onednn OMP_WAIT_POLICY=PASSIVE
  probe "$label" "$space" "$batches" 1 2 1 -onednn
  probe "$label" "$space" "$batches" 2 1 1 -onednn
  # Natives: the same work on the AVX2 and AVX-512 builds.
  for ext in -onednn-avx2 -onednn-avx512; do
    probe "$label" "$space" "$batches" 1 1 1 "$ext"
    probe "$label" "$space" "$batches" 2 1 1 "$ext"
  done
done
python3 "$root/bench/threads/report.py" "$results" "$out/threads-probe.md"
