package io.hpsearch.space;

import io.hpsearch.store.Objective;

import java.util.Optional;

/**
 * Stop a trial once {@code metric} has not improved by more than {@code minDelta} for {@code patience} epochs;
 * the trial keeps the weights and score of its best epoch. The metric is one of the objectives, with its direction.
 */
public record EarlyStopping(int patience, double minDelta, Objective metric) {
    /** Idle when a trial that stops improving at once would stop after epoch patience + 1, at or after the last. */
    public Optional<IdleRule> idleWith(int epochs) {
        return IdleRule.unless("training.early_stopping.patience", patience + 1L, "the earliest stop after patience ("
                + patience + ")", epochs, "early stopping");
    }
}
