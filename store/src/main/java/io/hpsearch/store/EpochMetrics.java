package io.hpsearch.store;

/** One epoch of a trial (1-based), measured when it ended. */
public record EpochMetrics(int epoch, double trainLoss, double valLoss, double valAccuracy, double seconds) {
}
