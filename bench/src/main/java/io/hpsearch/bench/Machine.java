package io.hpsearch.bench;

import io.hpsearch.trainer.Cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Facts about the machine a benchmark ran on, read from Linux's /proc. */
final class Machine {
    private Machine() {
    }

    static String cpuModel() {
        return Cpu.model().orElse("unknown");
    }

    /** The CPU's vector-instruction flags (AVX..., FMA), as Linux lists them: what decides which natives run. */
    static String simdFlags() {
        List<String> flags = Cpu.flags();
        return flags.isEmpty() ? "unknown" : flags.stream().filter(f -> f.startsWith("avx") || f.equals("fma"))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** A field of /proc/self/status in KiB, such as VmHWM (peak resident set) or VmRSS. */
    static long statusKib(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith(field + ":"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + field + " in /proc/self/status"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status: " + e.getMessage(), e);
        }
    }
}
