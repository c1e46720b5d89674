package io.hpsearch.trainer;

/** A trial that cannot go on (a NaN loss, a DL4J error): recorded as failed, and the run goes on. */
public class TrialFailedException extends RuntimeException {
    private final int epoch;

    public TrialFailedException(String reason, int epoch, Throwable cause) {
        super(reason, cause);
        this.epoch = epoch;
    }

    /** The 1-based epoch in which the trial failed. */
    public int epoch() {
        return epoch;
    }
}
