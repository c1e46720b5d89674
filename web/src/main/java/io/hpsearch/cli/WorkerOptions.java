package io.hpsearch.cli;

import io.hpsearch.trainer.NativeThreads;
import picocli.CommandLine.Option;

/**
 * --workers and --threads, shared by the commands that train. Unset, every core trains a trial of its own with one
 * ND4J thread (measured fastest for a search); when a run has fewer trials than cores, the spare cores go to the
 * trials' threads instead (one network trains faster on two threads than on one: bench/README.md).
 */
public final class WorkerOptions {
    @Option(names = "--workers", paramLabel = "N",
            description = "Trials trained side by side (default: one per core, at most one per trial).")
    Integer workers;

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J native threads per worker (default: the cores left over per worker, usually 1: "
                    + "parallelism comes from --workers).")
    Integer threads;

    /** Workers for a run of {@code plannedTrials} trials; with no plan known (the dashboard), one per core. */
    int workers(int plannedTrials) {
        RunCommand.positive("--workers", workers);
        return workers != null ? workers : Math.max(1, Math.min(cores(), plannedTrials));
    }

    int workers() {
        return workers(Integer.MAX_VALUE);
    }

    /** Threads per worker when {@code workers} train side by side. */
    int threads(int workers) {
        RunCommand.positive("--threads", threads);
        return threads != null ? threads : Math.max(NativeThreads.DEFAULT_PER_WORKER, cores() / workers);
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
