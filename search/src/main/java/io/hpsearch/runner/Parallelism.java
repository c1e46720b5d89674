package io.hpsearch.runner;

/**
 * How one process trains a run on this machine: {@code workers} trials side by side, {@code threads} native threads
 * each, and why (printed at the run's start).
 */
public record Parallelism(int workers, int threads, String reason) {
    public Parallelism {
        if (workers < 1 || threads < 1) {
            throw new IllegalArgumentException("workers and threads must be at least 1, were " + workers + ", "
                    + threads);
        }
    }

    /** "2 workers x 1 thread". */
    public String describe() {
        return workers + (workers == 1 ? " worker" : " workers") + " x " + threads
                + (threads == 1 ? " thread" : " threads");
    }
}
