package io.hpsearch.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How far this process's resident memory rises over repeated steps: what a native leak shows as. */
final class ResidentGrowth {
    private ResidentGrowth() {
    }

    /**
     * Runs {@code step} {@code warmUps} times (workspaces and caches settle), then {@code steps} times; returns the
     * largest resident size seen during the second part less the size before it, in KiB.
     */
    static long kib(int warmUps, int steps, Runnable step) {
        for (int i = 0; i < warmUps; i++) {
            step.run();
        }
        long start = residentKib();
        long most = start;
        for (int i = 0; i < steps; i++) {
            step.run();
            most = Math.max(most, residentKib());
        }
        return most - start;
    }

    private static long residentKib() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
