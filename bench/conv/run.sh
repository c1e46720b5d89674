#!/usr/bin/env bash
# The reference CNN's convolution paths side by side (bench/src/main/java/io/hpsearch/bench/ConvBench.java): DL4J's
# im2col + gemm against the conv2d op hpsearch attaches, once on the oneDNN natives hpsearch loads and once on the
# plain natives. About 4 minutes here; writes bench/results/conv.{json,md}.
# Usage: bench/conv/run.sh [--smoke] [DATA_DIR]     (default ../shared/data/fashion-mnist)
#   --smoke: 2 training minibatches instead of 8, to check the script; writes conv-smoke.*
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=conv batches=8
if [[ "${1:-}" == "--smoke" ]]; then
  shift
  name=conv-smoke batches=2
fi
data="${1:-$root/../shared/data/fashion-mnist}"
out="$root/bench/results"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

cp="$("$root/bench/classpath.sh")"
echo "Reproduce: bench/conv/run.sh $* (commit $(git -C "$root" rev-parse --short HEAD), $(nproc) cores)"
space="$root/spaces/fashion-cnn-reference.yaml"
# Empty extension: JavaCPP's plain natives; unset, ConvBench selects the oneDNN ones as hpsearch does.
java -cp "$cp" io.hpsearch.bench.ConvBench "$data" "$space" "$batches" "$tmp/onednn.json"
java -Dorg.bytedeco.javacpp.platform.extension= -cp "$cp" io.hpsearch.bench.ConvBench "$data" "$space" "$batches" \
  "$tmp/plain.json"
python3 "$root/bench/conv/report.py" "$tmp/onednn.json" "$tmp/plain.json" "$out/$name.json" >"$out/$name.md"
cat "$out/$name.md"
