package io.hpsearch.space;

/**
 * How each trial trains.
 *
 * @param trainLimit cap on training examples (0: use the whole training split), for quick runs and tests
 */
public record TrainingSpec(int epochs, int batchSize, double validationSplit, int trainLimit) {
}
