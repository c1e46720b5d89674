# What the benchmark scripts share. Each sets root (the repository) and sources this: . "$root/bench/lib.sh"

# hpsearch from its built jar, run directly: ./hpsearch would rebuild the jar when a source changed, which in the
# middle of a long benchmark would time a build (each script runs ./hpsearch --version once first, to build it).
# hp_jar is for a command that must wrap java itself (taskset, /usr/bin/time).
hp_jar="$root/web/target/hpsearch.jar"
hp() { java -jar "$hp_jar" "$@"; }

# Runs COMMAND... with its output in OUT.log and its wall seconds in OUT.seconds; when it fails, the end of its
# output goes to stderr and the script goes on (the caller reports what the failed run did not write).
timed() {
  local out="$1" start
  shift
  start=$(date +%s)
  "$@" >"$out.log" 2>&1 || { echo "$(basename "$out") failed; the end of its output:"; tail -20 "$out.log"; } >&2
  echo "$(( $(date +%s) - start ))" >"$out.seconds"
}

# The CPU's model name, as results name the machine (never a host name or a path).
cpu_model() { grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown; }
