package io.hpsearch.trainer;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Native thread counts for the calling thread. How many a worker gets is chosen per run, by measurement
 * ({@code io.hpsearch.runner.Calibration}): whether a second thread helps a network or halves its speed depends on
 * the CPU (bench/README.md, "Threads").
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    /**
     * Sets libnd4j's, OpenBLAS's and OpenMP's thread counts for work started from the calling thread. OpenMP keeps
     * the count per thread, so every worker thread calls this itself: a count set on another thread does not reach
     * it.
     */
    public static void configure(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        // oneDNN's convolutions take OpenMP's own count, which neither of the above sets: without this a 1-thread
        // worker ran them on every core, and two such workers side by side fought over the cores.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
