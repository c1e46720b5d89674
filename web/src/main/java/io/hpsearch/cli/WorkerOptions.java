package io.hpsearch.cli;

import io.hpsearch.trainer.NativeThreads;
import picocli.CommandLine.Option;

/** --workers and --threads, shared by the commands that train. */
public final class WorkerOptions {
    @Option(names = "--workers", paramLabel = "N",
            description = "Trials trained side by side (default: the number of cores).")
    Integer workers;

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J native threads per worker (default: 1, measured fastest for these networks; "
                    + "parallelism comes from --workers).")
    Integer threads;

    int workers() {
        RunCommand.positive("--workers", workers);
        return workers == null ? Runtime.getRuntime().availableProcessors() : workers;
    }

    int threads() {
        RunCommand.positive("--threads", threads);
        return threads == null ? NativeThreads.DEFAULT_PER_WORKER : threads;
    }
}
