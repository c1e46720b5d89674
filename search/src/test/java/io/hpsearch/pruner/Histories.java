package io.hpsearch.pruner;

import io.hpsearch.space.ModelType;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;

import java.util.Map;

/** Hand-built trials for the pruner tests: only the number, the state and the learning curve matter to a pruner. */
final class Histories {
    private static final TrialParams PARAMS = new TrialParams(ModelType.MLP, Map.of("learning_rate", 0.001));

    private Histories() {
    }

    /** A trial still training, judged after its last value's epoch. */
    static TrialRecord running(int number, double... values) {
        return trial(number, TrialState.RUNNING, values);
    }

    static TrialRecord completed(int number, double... values) {
        return trial(number, TrialState.COMPLETED, values);
    }

    static TrialRecord pruned(int number, double... values) {
        return trial(number, TrialState.PRUNED, values);
    }

    static TrialRecord trial(int number, TrialState state, double... values) {
        Double score = state == TrialState.COMPLETED || state == TrialState.PRUNED
                ? Double.valueOf(values[values.length - 1]) : null;
        return new TrialRecord(number, PARAMS, state, score, values);
    }

    /**
     * A trial whose epochs took {@code secondsPerEpoch} each, with these values: for pruners that judge by training
     * time.
     */
    static TrialRecord timed(int number, TrialState state, double secondsPerEpoch, double... values) {
        Double score = state == TrialState.COMPLETED || state == TrialState.PRUNED
                ? Double.valueOf(values[values.length - 1]) : null;
        double[] seconds = new double[values.length];
        java.util.Arrays.fill(seconds, secondsPerEpoch);
        return new TrialRecord(number, PARAMS, state, score, new io.hpsearch.store.LearningCurve(values, seconds));
    }

    /** {@code epochs} copies of {@code value}: a flat learning curve. */
    static double[] flat(double value, int epochs) {
        double[] out = new double[epochs];
        java.util.Arrays.fill(out, value);
        return out;
    }
}
