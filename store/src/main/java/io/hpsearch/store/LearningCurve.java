package io.hpsearch.store;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A trial's first execution, epoch by epoch, as samplers and pruners weigh it: the objective after each epoch and
 * the seconds each epoch took ({@code values[e - 1]} and {@code seconds[e - 1]} for epoch {@code e}). Compared by
 * content.
 */
public record LearningCurve(double[] values, double[] seconds) {
    public static final LearningCurve EMPTY = new LearningCurve(new double[0], new double[0]);

    public LearningCurve {
        if (values.length != seconds.length) {
            throw new IllegalArgumentException(values.length + " values for " + seconds.length + " epoch durations");
        }
        values = values.clone();
        seconds = seconds.clone();
    }

    /** The curve of epochs as a trainer reports them (one execution's, in order), scored by the run's objective. */
    public static LearningCurve of(List<EpochMetrics> epochs, Objective objective) {
        return new LearningCurve(epochs.stream().mapToDouble(objective::of).toArray(),
                epochs.stream().mapToDouble(EpochMetrics::seconds).toArray());
    }

    /** A curve whose epochs' durations do not matter (samplers, pruners by epochs, tests): 0 s each. */
    public static LearningCurve untimed(double... values) {
        return new LearningCurve(values, new double[values.length]);
    }

    /** Epochs trained so far. */
    public int epochs() {
        return values.length;
    }

    /** The objective after epoch {@code epoch} (1-based), if the trial got that far. */
    public OptionalDouble value(int epoch) {
        return epoch >= 1 && epoch <= values.length ? OptionalDouble.of(values[epoch - 1]) : OptionalDouble.empty();
    }

    /** Seconds of training in the first {@code epoch} epochs (all of them when it has fewer). */
    public double trainedSeconds(int epoch) {
        double sum = 0;
        for (int i = 0; i < Math.min(epoch, seconds.length); i++) {
            sum += seconds[i];
        }
        return sum;
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double[] seconds() {
        return seconds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearningCurve c && Arrays.equals(values, c.values) && Arrays.equals(seconds, c.seconds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + Arrays.hashCode(seconds);
    }

    @Override
    public String toString() {
        return "LearningCurve" + Arrays.toString(values) + " in " + Arrays.toString(seconds) + " s";
    }
}
