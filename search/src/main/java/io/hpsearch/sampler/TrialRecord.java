package io.hpsearch.sampler;

import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;

import java.util.Arrays;

/**
 * A trial of the run as samplers and pruners see it, read from the store (the single source of truth): what it
 * trains, where it is, and its objective after every epoch so far.
 *
 * @param score  its score: the objective at its kept epoch for a completed trial, at its last epoch for a pruned
 *               one; null while running, and for failed or cancelled trials
 * @param values  the objective after each epoch of its first execution, {@code values[e - 1]} for epoch {@code e};
 *                as many as it has trained so far
 * @param seconds how long each of those epochs took, {@code seconds[e - 1]} for epoch {@code e}: what a pruner
 *                that judges by training time weighs
 */
public record TrialRecord(int number, TrialParams params, TrialState state, Double score, double[] values,
                          double[] seconds) {
    public TrialRecord {
        if (values.length != seconds.length) {
            throw new IllegalArgumentException(values.length + " values for " + seconds.length + " epoch durations");
        }
        values = values.clone();
        seconds = seconds.clone();
    }

    /** A trial whose epochs' durations do not matter to the caller (samplers, and pruners by epochs): 0 s each. */
    public TrialRecord(int number, TrialParams params, TrialState state, Double score, double[] values) {
        this(number, params, state, score, values, new double[values.length]);
    }

    /** The objective after epoch {@code epoch} (1-based), if the trial got that far. */
    public java.util.OptionalDouble value(int epoch) {
        return epoch >= 1 && epoch <= values.length ? java.util.OptionalDouble.of(values[epoch - 1])
                : java.util.OptionalDouble.empty();
    }

    /** Epochs it has trained so far. */
    public int epochs() {
        return values.length;
    }

    /** Seconds it trained for its first {@code epoch} epochs. */
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
        return o instanceof TrialRecord t && number == t.number && params.equals(t.params) && state == t.state
                && java.util.Objects.equals(score, t.score) && Arrays.equals(values, t.values)
                && Arrays.equals(seconds, t.seconds);
    }

    @Override
    public int hashCode() {
        return 31 * number + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "TrialRecord[" + number + " " + state + " score=" + score + " values=" + Arrays.toString(values)
                + " " + params.asMap() + "]";
    }
}
