package io.hpsearch.runner;

import io.hpsearch.store.Objective;
import io.hpsearch.trainer.TrialTrainer;

import java.util.List;

/**
 * A completed trial: its executions, the mean of their scores and, for more than one, the standard deviation.
 *
 * @param best the execution with the best score, whose network stands for the trial
 */
record TrialOutcome(TrialTrainer.Result first, TrialTrainer.Result best, double score, Double scoreStd) {

    static TrialOutcome of(List<TrialTrainer.Result> results, double[] scores, Objective objective) {
        double mean = 0;
        for (double s : scores) {
            mean += s;
        }
        mean /= scores.length;
        Double std = null;
        if (scores.length > 1) {
            double squares = 0;
            for (double s : scores) {
                squares += (s - mean) * (s - mean);
            }
            std = Math.sqrt(squares / (scores.length - 1));
        }
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (objective.beats(scores[i], scores[best], 0)) {
                best = i;
            }
        }
        return new TrialOutcome(results.get(0), results.get(best), mean, std);
    }
}
