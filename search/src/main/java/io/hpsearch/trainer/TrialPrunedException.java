package io.hpsearch.trainer;

import io.hpsearch.store.EpochMetrics;

/** A trial its run's pruner stopped; {@code last} holds the metrics of the epoch it stopped after. */
public final class TrialPrunedException extends RuntimeException {
    private final EpochMetrics last;

    public TrialPrunedException(EpochMetrics last) {
        super("pruned after epoch " + last.epoch(), null, false, false);
        this.last = last;
    }

    public int epoch() {
        return last.epoch();
    }

    /** The metrics of its last epoch, whose objective is a pruned trial's score. */
    public EpochMetrics last() {
        return last;
    }
}
