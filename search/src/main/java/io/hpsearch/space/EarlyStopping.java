package io.hpsearch.space;

import io.hpsearch.store.Objective;

/**
 * Stop a trial once {@code metric} has not improved by more than {@code minDelta} for {@code patience} epochs;
 * the trial keeps the weights and score of its best epoch. The metric is one of the objectives, with its direction.
 */
public record EarlyStopping(int patience, double minDelta, Objective metric) {
}
