package io.hpsearch.sampler;

import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * TPE's division of the run's trials into the good ("below": l(x) is built from them) and the rest ("above":
 * g(x)), as Optuna's {@code _split_trials} does for one objective: completed trials ranked by score, then pruned
 * ones ranked by how far they got on the pruner's scale (epochs, or rungs judged at for rungs in minutes) and
 * their value there, and running ones always above (the constant liar: a trial still training counts as a bad
 * result, so a second worker does not propose next to it).
 *
 * @param below the good trials, in trial-number order
 * @param above the others, in trial-number order (the default weights favour the newest)
 */
record TpeSplit(List<TrialRecord> below, List<TrialRecord> above) {

    /** Optuna's default_gamma: the number of good trials among n finished ones, min(ceil(0.1 n), 25). */
    static int gamma(int n) {
        return (int) Math.min(Math.ceil(0.1 * n), 25);
    }

    /**
     * Whether TPE learns from the trial: completed with a score, or pruned. Failed, cancelled and interrupted
     * trials are left out, as Optuna leaves out FAIL trials (a completed trial without a finite score would be a
     * FAIL there).
     */
    static boolean finished(TrialRecord t) {
        return t.state() == TrialState.PRUNED
                || t.state() == TrialState.COMPLETED && t.score() != null && !t.score().isNaN();
    }

    /**
     * Splits the finished and running {@code trials} (others are ignored): the best {@code gamma(finished)}
     * finished ones below.
     *
     * @param progress how far a pruned trial got: the run's pruner's {@link io.hpsearch.pruner.Pruner#progress}
     */
    static TpeSplit of(List<TrialRecord> trials, boolean maximise, ToIntFunction<TrialRecord> progress) {
        List<TrialRecord> complete = new ArrayList<>();
        List<TrialRecord> pruned = new ArrayList<>();
        List<TrialRecord> running = new ArrayList<>();
        for (TrialRecord t : trials) {
            if (t.state() == TrialState.RUNNING) {
                running.add(t);
            } else if (finished(t)) {
                (t.state() == TrialState.PRUNED ? pruned : complete).add(t);
            }
        }
        int nBelow = gamma(complete.size() + pruned.size());
        // Stable sorts: equal scores keep trial-number order, as Python's sorted does.
        Comparator<TrialRecord> byScore = Comparator.comparingDouble(TrialRecord::score);
        complete.sort(maximise ? byScore.reversed() : byScore);
        pruned.sort(prunedOrder(maximise, progress));
        List<TrialRecord> below = new ArrayList<>();
        List<TrialRecord> above = new ArrayList<>(running);
        for (List<TrialRecord> ranked : List.of(complete, pruned)) {
            int take = Math.min(nBelow - below.size(), ranked.size());
            below.addAll(ranked.subList(0, take));
            above.addAll(ranked.subList(take, ranked.size()));
        }
        Comparator<TrialRecord> byNumber = Comparator.comparingInt(TrialRecord::number);
        below.sort(byNumber);
        above.sort(byNumber);
        return new TpeSplit(List.copyOf(below), List.copyOf(above));
    }

    /**
     * Optuna's {@code _get_pruned_trial_score} order: further on {@code progress} first, then by the value at the
     * last epoch in the objective's direction (NaN last); a trial pruned before any epoch value after all the others.
     */
    static Comparator<TrialRecord> prunedOrder(boolean maximise, ToIntFunction<TrialRecord> progress) {
        return Comparator.<TrialRecord>comparingDouble(t -> t.epochs() > 0 ? -progress.applyAsInt(t) : 1)
                .thenComparingDouble(t -> {
                    if (t.epochs() == 0) {
                        return 0.0;
                    }
                    double v = t.value(t.epochs()).getAsDouble();
                    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : maximise ? -v : v;
                });
    }
}
