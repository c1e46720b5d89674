package io.hpsearch.trainer;

import io.hpsearch.store.EpochMetrics;

/**
 * A trial its run's pruner stopped; {@code last} holds the metrics of the epoch it stopped after, and
 * {@code trainedSeconds} the training time of all its epochs (those kept from a checkpoint included).
 */
public final class TrialPrunedException extends RuntimeException {
    private final EpochMetrics last;
    private final double trainedSeconds;

    public TrialPrunedException(EpochMetrics last, double trainedSeconds) {
        super("pruned after epoch " + last.epoch(), null, false, false);
        this.last = last;
        this.trainedSeconds = trainedSeconds;
    }

    public double trainedSeconds() {
        return trainedSeconds;
    }

    public int epoch() {
        return last.epoch();
    }

    /** The metrics of its last epoch, whose objective is a pruned trial's score. */
    public EpochMetrics last() {
        return last;
    }
}
