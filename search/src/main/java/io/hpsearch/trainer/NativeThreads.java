package io.hpsearch.trainer;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Native thread counts. ND4J runs on two thread pools: OpenBLAS's own (its gemm) and libgomp's OpenMP team (every
 * other op, and oneDNN's convolutions). With both at 2 on a 2-core machine, four threads were busy at once (the
 * caller, OpenBLAS's worker spinning after each gemm, OpenMP's worker spinning after each parallel region) and a
 * one-layer MLP trained at 0.46x its one-thread speed; OpenBLAS on more than one thread never helped any network
 * measured, and OpenMP's spinning cost what its second thread gained (bench/threads/probe.sh, bench/README.md
 * "Threads"). So OpenBLAS always runs on the calling thread, OpenMP on {@code threads}, and OpenMP's idle threads
 * sleep rather than spin. How many threads a worker gets is chosen per run, by measurement
 * ({@code io.hpsearch.runner.Calibration}).
 */
public final class NativeThreads {
    private static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    private NativeThreads() {
    }

    /**
     * Sets libnd4j's and OpenMP's thread counts for work started from the calling thread, and OpenBLAS's to one.
     * OpenMP keeps the count per thread, so every worker thread calls this itself: a count set on another thread
     * does not reach it.
     */
    public static void configure(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(1);
        // oneDNN's convolutions take OpenMP's own count, which neither of the above sets: without this a 1-thread
        // worker ran them on every core, and two such workers side by side fought over the cores.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /**
     * Makes OpenMP's idle threads sleep (OMP_WAIT_POLICY=PASSIVE) unless the user chose a policy. libgomp reads its
     * environment once, when ND4J first loads it, so entry points call this before anything touches ND4J; Java
     * cannot change its own environment, so this calls the C library's setenv.
     */
    public static void quietOpenMp() {
        if (System.getenv(WAIT_POLICY) == null) {
            try {
                C.LIB.setenv(WAIT_POLICY, "PASSIVE", 0);
            } catch (UnsatisfiedLinkError e) {
                // no C library to call (not Linux or macOS): OpenMP keeps its default, slower but correct
            }
        }
    }

    /** The process's OpenMP wait policy as the C library sees it now (tests). */
    static String waitPolicy() {
        return C.LIB.getenv(WAIT_POLICY);
    }

    private interface C extends Library {
        C LIB = (C) Native.loadLibrary("c", C.class);

        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }
}
