package io.hpsearch.bench;

import io.hpsearch.trainer.NativeThreads;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Runs a measurement on a new thread with its own ND4J thread count. OpenMP keeps thread counts per thread, and
 * hpsearch and Arbiter both train on threads they start, so every measurement does the same.
 */
final class OnThread {
    private OnThread() {
    }

    static <T> T call(int threads, Supplier<T> work) {
        FutureTask<T> task = new FutureTask<>(() -> {
            NativeThreads.configure(threads);
            return work.get();
        });
        new Thread(task, "bench-" + threads + "-threads").start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("measurement failed: " + e.getCause(), e.getCause());
        }
    }
}
