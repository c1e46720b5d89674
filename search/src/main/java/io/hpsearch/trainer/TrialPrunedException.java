package io.hpsearch.trainer;

import io.hpsearch.store.EpochMetrics;

import java.util.List;

/**
 * A trial its run's pruner stopped, with what it trained: the metrics of the epoch it stopped after, and the
 * training time of all its epochs (those kept from a checkpoint included).
 */
public final class TrialPrunedException extends RuntimeException {
    private final EpochMetrics last;
    private final double trainedSeconds;

    /** @param history its epochs, ending with the one it stopped after */
    public TrialPrunedException(List<EpochMetrics> history) {
        super("pruned after epoch " + history.get(history.size() - 1).epoch(), null, false, false);
        this.last = history.get(history.size() - 1);
        this.trainedSeconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
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
