package io.hpsearch.trainer;

import io.hpsearch.store.EpochMetrics;

import java.util.function.Supplier;

/** What a trial reports while it trains. Called on the trial's worker thread. */
public interface TrainingListener {

    void epochEnded(EpochMetrics metrics);

    /**
     * After each epoch, with the training state after it as a checkpoint's bytes, made only when asked for (it
     * copies the weights and optimiser state): a trial given them continues after this epoch.
     */
    default void epochEnded(EpochMetrics metrics, Supplier<byte[]> checkpoint) {
        epochEnded(metrics);
    }

    /** After each minibatch: for progress display only. */
    default void batchEnded(int epoch, int batchesDone, int batchesPerEpoch) {
    }
}
