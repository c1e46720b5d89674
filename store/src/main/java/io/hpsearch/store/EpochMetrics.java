package io.hpsearch.store;

/** One epoch (1-based) of one execution (1-based) of a trial, measured when it ended. */
public record EpochMetrics(int execution, int epoch, double trainLoss, double valLoss, double valAccuracy,
                           double seconds) {
    public EpochMetrics withExecution(int value) {
        return new EpochMetrics(value, epoch, trainLoss, valLoss, valAccuracy, seconds);
    }
}
