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
 * @param values the objective after each epoch of its first execution, {@code values[e - 1]} for epoch {@code e};
 *               as many as it has trained so far
 */
public record TrialRecord(int number, TrialParams params, TrialState state, Double score, double[] values) {
    public TrialRecord {
        values = values.clone();
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

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrialRecord t && number == t.number && params.equals(t.params) && state == t.state
                && java.util.Objects.equals(score, t.score) && Arrays.equals(values, t.values);
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
