package io.hpsearch.cli;

import io.hpsearch.runner.Calibration;
import io.hpsearch.runner.ParallelismPolicy;
import picocli.CommandLine.Option;

/**
 * --workers and --threads, shared by the commands that train. Unset, each run's split of the cores is measured on
 * this machine (see {@link Calibration}); given, they win.
 */
public final class WorkerOptions {
    @Option(names = "--workers", paramLabel = "N",
            description = "Trials trained side by side (default: measured on this machine for each run; at most one "
                    + "per trial).")
    Integer workers;

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J native threads per worker (default: measured on this machine for each run).")
    Integer threads;

    /** Refuses a count below 1, before anything is read or trained. */
    void check() {
        RunCommand.positive("--workers", workers);
        RunCommand.positive("--threads", threads);
    }

    /** What chooses each run's workers and threads: the flags where given, a measurement for the rest. */
    ParallelismPolicy policy() {
        check();
        return new Calibration(workers, threads, Runtime.getRuntime().availableProcessors(),
                Calibration.defaultCacheFile());
    }
}
