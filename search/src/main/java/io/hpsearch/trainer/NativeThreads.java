package io.hpsearch.trainer;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The networks hpsearch trains are small enough that OpenMP's coordination costs more than a second thread gains:
 * on a 2-core machine six MLPs trained in 54.9 s on one worker with one native thread, 45.8 s with two, and 29.9 s
 * on two one-thread workers side by side (bench/throughput). So parallelism comes from workers, each with one
 * native thread, unless the user asks otherwise.
 */
public final class NativeThreads {
    /** Native threads per worker unless the user sets it. */
    public static final int DEFAULT_PER_WORKER = 1;

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
