package io.hpsearch.space;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a trial's learning rate changes over its training: `model.learning_rate_schedule`. The rate named by
 * `learning_rate` is where it starts; the decaying schedules come down to (nearly) zero over the minibatches of
 * `training.epochs` (a trial stopped early by early stopping, a pruner or the time budget stops partway down), as
 * Keras's CosineDecay and PyTorch's CosineAnnealingLR do with the horizon set to the whole training. A saved model
 * keeps its schedule at its end: training it further in DL4J goes on at that near-zero rate.
 */
public enum LearningRateSchedule {
    /** The same rate throughout (the default, and what every space meant before schedules existed). */
    CONSTANT,
    /** Cosine annealing (Loshchilov and Hutter's SGDR without restarts): half a cosine wave from the rate to zero. */
    COSINE,
    /** A straight line from the rate to zero. */
    LINEAR;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The schedule a space's value names. */
    public static LearningRateSchedule of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** The values a space may give. */
    public static Set<String> keys() {
        return Arrays.stream(values()).map(LearningRateSchedule::key).collect(Collectors.toUnmodifiableSet());
    }
}
