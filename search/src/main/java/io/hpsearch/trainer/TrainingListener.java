package io.hpsearch.trainer;

import io.hpsearch.store.EpochMetrics;

import java.util.function.Supplier;

/** What a trial reports while it trains. Called on the trial's worker thread. */
public interface TrainingListener {

    void epochEnded(EpochMetrics metrics);

    /**
     * After an epoch the trial goes on from (no rule stopped or pruned it, and epochs remain), with the training state
     * after it as a checkpoint's bytes, made only when asked for (it copies the weights and optimiser state): a trial
     * given them continues after this epoch.
     */
    default void continuing(EpochMetrics metrics, Supplier<byte[]> checkpoint) {
    }

    /** After each minibatch: for progress display only. */
    default void batchEnded(int epoch, int batchesDone, int batchesPerEpoch) {
    }
}
