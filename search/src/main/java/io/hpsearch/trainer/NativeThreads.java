package io.hpsearch.trainer;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's native thread pools are process-wide. Small dense networks train fastest with one native thread per worker
 * and workers running side by side (measured: see the README's "Performance"), so a run sets threads per worker
 * such that workers x threads = cores.
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    public static int perWorker(int workers, int cores) {
        return Math.max(1, cores / Math.max(1, workers));
    }

    /** Sets libnd4j's and OpenBLAS's thread counts. */
    public static void configure(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
