package io.hpsearch.runner;

/**
 * How fast a run trained: training examples processed (every finished epoch of every trial) over the wall time of
 * the training phase, with the concurrency that produced it.
 */
public record Throughput(long examples, double seconds, int workers, int threadsPerWorker) {
    /** A run this process did not train. */
    public static final Throughput NONE = new Throughput(0, 0, 0, 0);

    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }
}
