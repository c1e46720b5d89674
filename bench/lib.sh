# What the benchmark scripts share. Each sets root (the repository) and sources this: . "$root/bench/lib.sh"

# hpsearch from its built jar, run directly: ./hpsearch would rebuild the jar when a source changed, which in the
# middle of a long benchmark would time a build (each script runs ./hpsearch --version once first, to build it).
hp() { java -jar "$root/web/target/hpsearch.jar" "$@"; }

# The CPU's model name, as results name the machine (never a host name or a path).
cpu_model() { grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown; }
