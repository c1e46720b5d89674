package io.hpsearch.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What Linux says of the CPU (/proc/cpuinfo): which natives it runs, and what measurements are kept under. */
public final class Cpu {
    private Cpu() {
    }

    /** "AMD EPYC", say; empty where /proc/cpuinfo is missing or says nothing. */
    public static Optional<String> model() {
        return field("model name");
    }

    /** The feature flags in the order Linux lists them ("fma", "avx2", ...); none where it is missing. */
    public static List<String> flags() {
        return field("flags").map(f -> Arrays.asList(f.split("\\s+"))).orElse(List.of());
    }

    private static Optional<String> field(String name) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith(name))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
