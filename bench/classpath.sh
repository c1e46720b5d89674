#!/usr/bin/env bash
# Builds the benchmarks (and the modules they measure) and prints their Java classpath; Maven's output is shown
# only when the build fails. Used by the bench/*/run.sh scripts: cp="$(bench/classpath.sh)".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
(cd "$root" && mvn -q -B package -DskipTests -pl bench -am >"$log" 2>&1) || { cat "$log" >&2; exit 1; }
echo "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"
