package io.hpsearch.trainer;

/** A trial its run's pruner stopped after {@code epoch}; {@code value} is that epoch's objective. */
public final class TrialPrunedException extends RuntimeException {
    private final int epoch;

    public TrialPrunedException(int epoch) {
        super("pruned after epoch " + epoch, null, false, false);
        this.epoch = epoch;
    }

    public int epoch() {
        return epoch;
    }
}
