package io.hpsearch.trial;

import io.hpsearch.store.LearningCurve;
import io.hpsearch.store.TrialState;

import java.util.OptionalDouble;

/**
 * A trial of the run as samplers and pruners see it, read from the store (the single source of truth): what it
 * trains, where it is, and its objective after every epoch so far.
 *
 * @param score its score: the objective at its kept epoch for a completed trial, at its last epoch for a pruned
 *              one; null while running, and for failed or cancelled trials
 * @param curve its first execution's objective and duration after each epoch, as many epochs as it has trained
 *              so far (the durations are what a pruner that judges by training time weighs)
 */
public record TrialRecord(int number, TrialParams params, TrialState state, Double score, LearningCurve curve) {

    /** A trial whose epochs' durations do not matter to the caller (samplers, and pruners by epochs): 0 s each. */
    public TrialRecord(int number, TrialParams params, TrialState state, Double score, double[] values) {
        this(number, params, state, score, LearningCurve.untimed(values));
    }

    /** The objective after each epoch, {@code values()[e - 1]} for epoch {@code e}. */
    public double[] values() {
        return curve.values();
    }

    /** The objective after epoch {@code epoch} (1-based), if the trial got that far. */
    public OptionalDouble value(int epoch) {
        return curve.value(epoch);
    }

    /** Epochs it has trained so far. */
    public int epochs() {
        return curve.epochs();
    }

    /** Seconds it trained for its first {@code epoch} epochs. */
    public double trainedSeconds(int epoch) {
        return curve.trainedSeconds(epoch);
    }

    @Override
    public String toString() {
        return "TrialRecord[" + number + " " + state + " score=" + score + " " + curve + " " + params.asMap() + "]";
    }
}
