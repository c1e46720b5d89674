package io.hpsearch.trainer;

import io.hpsearch.store.EpochMetrics;

/** What a trial reports while it trains. Called on the trial's worker thread. */
public interface TrainingListener {

    void epochEnded(EpochMetrics metrics);

    /** After each minibatch: for progress display only. */
    default void batchEnded(int epoch, int batchesDone, int batchesPerEpoch) {
    }
}
