package io.hpsearch.store;

/**
 * A trial's first execution, epoch by epoch, as samplers and pruners weigh it: the objective after each epoch and
 * the seconds each epoch took ({@code values[e - 1]} and {@code seconds[e - 1]} for epoch {@code e}).
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

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double[] seconds() {
        return seconds.clone();
    }
}
