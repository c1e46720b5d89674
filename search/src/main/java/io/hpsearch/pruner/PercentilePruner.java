package io.hpsearch.pruner;

import io.hpsearch.store.Objective;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Optuna's PercentilePruner (optuna/pruners/_percentile.py), and with 50 its MedianPruner: after an epoch, a trial
 * is pruned when its best value so far is worse than the given percentile of the completed trials' values at that
 * same epoch.
 *
 * <p>As in Optuna:
 * <ul>
 * <li>only COMPLETED trials are the reference, both for {@code startupTrials} and for the percentile: running,
 * pruned, failed, cancelled and interrupted trials are not (Optuna's {@code states=(TrialState.COMPLETE,)});</li>
 * <li>the trial's own side is its best value over all its epochs so far, the others' side is each completed
 * trial's value at exactly this epoch (not its best so far), with the percentile interpolated linearly as
 * {@code numpy.nanpercentile} does, NaN values left out;</li>
 * <li>{@code minTrials} counts the completed trials that have a value at this epoch, NaN or not;</li>
 * <li>a trial whose values so far are all NaN is pruned once the other conditions let it be judged; a NaN
 * percentile (every value at that epoch NaN, or too few trials) prunes nothing; ties are not pruned.</li>
 * </ul>
 *
 * <p>Epochs and Optuna's steps: Optuna counts steps from zero and documents {@code n_warmup_steps} as "pruning is
 * disabled until the trial exceeds the given number of steps", which is how its Keras and Lightning callbacks
 * report epochs. Here epoch {@code e} is step {@code e - 1}, so {@code warmupEpochs} is the number of leading
 * epochs never pruned (warm-up 2: epochs 1 and 2 are safe, epoch 3 is the first judged), and with
 * {@code intervalEpochs} {@code i} the judged epochs are {@code warmupEpochs + 1}, {@code warmupEpochs + 1 + i},
 * and so on. Because every epoch of a trial is reported, Optuna's "postponed check" for a missing report never
 * arises.
 *
 * <p>Stateless: a pure function of the trial and the others, in whatever order they come.
 */
public final class PercentilePruner implements Pruner {
    private final double percentile;
    private final int startupTrials;
    private final int warmupEpochs;
    private final int intervalEpochs;
    private final int minTrials;
    private final boolean maximise;

    /**
     * @param percentile     0 to 100: the share of trials kept is the better {@code 100 - percentile} percent
     *                       (Optuna's {@code percentile})
     * @param startupTrials  no pruning until this many trials have completed (n_startup_trials)
     * @param warmupEpochs   a trial's first this many epochs are never pruned (n_warmup_steps)
     * @param intervalEpochs judge every this many epochs after the warm-up (interval_steps)
     * @param minTrials      no pruning at an epoch fewer completed trials have a value at (n_min_trials)
     * @param objective      which way is better
     */
    public PercentilePruner(double percentile, int startupTrials, int warmupEpochs, int intervalEpochs,
                            int minTrials, Objective objective) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("the pruner's percentile must be between 0 and 100, not "
                    + percentile);
        }
        if (startupTrials < 0) {
            throw new IllegalArgumentException("startup_trials cannot be negative (" + startupTrials + ")");
        }
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("warmup_epochs cannot be negative (" + warmupEpochs + ")");
        }
        if (intervalEpochs < 1) {
            throw new IllegalArgumentException("interval_epochs must be at least 1 (" + intervalEpochs + ")");
        }
        if (minTrials < 1) {
            throw new IllegalArgumentException("min_trials must be at least 1 (" + minTrials + ")");
        }
        this.percentile = percentile;
        this.startupTrials = startupTrials;
        this.warmupEpochs = warmupEpochs;
        this.intervalEpochs = intervalEpochs;
        this.minTrials = minTrials;
        this.maximise = objective.maximise();
    }

    /** Optuna's MedianPruner: the 50th percentile. */
    public static PercentilePruner median(int startupTrials, int warmupEpochs, int intervalEpochs, int minTrials,
                                          Objective objective) {
        return new PercentilePruner(50, startupTrials, warmupEpochs, intervalEpochs, minTrials, objective);
    }

    @Override
    public boolean prune(TrialRecord trial, List<TrialRecord> others) {
        List<TrialRecord> completed = new ArrayList<>();
        for (TrialRecord t : others) {
            // The trial itself is never its own reference, even should a caller pass it among the others.
            if (t.state() == TrialState.COMPLETED && t.number() != trial.number()) {
                completed.add(t);
            }
        }
        if (completed.isEmpty() || completed.size() < startupTrials) {
            return false;
        }
        int epoch = trial.epochs();
        if (epoch == 0) {
            return false;
        }
        int step = epoch - 1; // Optuna's zero-based step, see the class comment
        if (step < warmupEpochs) {
            return false;
        }
        // Optuna's _is_first_in_interval_step: with a value at every step, the check falls on the steps
        // warmup + k * interval exactly.
        if ((step - warmupEpochs) % intervalEpochs != 0) {
            return false;
        }
        double best = bestSoFar(trial.values(), maximise);
        if (Double.isNaN(best)) {
            return true;
        }
        double p = percentileAt(completed, epoch);
        if (Double.isNaN(p)) {
            return false;
        }
        return maximise ? best < p : best > p;
    }

    /** Optuna's _get_best_intermediate_result_over_steps: nanmax or nanmin, NaN when every value is NaN. */
    static double bestSoFar(double[] values, boolean maximise) {
        double best = Double.NaN;
        for (double v : values) {
            if (!Double.isNaN(v) && (Double.isNaN(best) || (maximise ? v > best : v < best))) {
                best = v;
            }
        }
        return best;
    }

    /** Optuna's _get_percentile_intermediate_result_over_trials, at one epoch. */
    private double percentileAt(List<TrialRecord> completed, int epoch) {
        List<Double> atEpoch = new ArrayList<>();
        for (TrialRecord t : completed) {
            t.value(epoch).ifPresent(atEpoch::add);
        }
        // NaN values count towards min_trials (Optuna counts before nanpercentile drops them).
        if (atEpoch.size() < minTrials) {
            return Double.NaN;
        }
        // For a maximised objective the bad side is the low one, so the cut is mirrored.
        double q = maximise ? 100 - percentile : percentile;
        double[] finite = atEpoch.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
        return nanPercentile(finite, q);
    }

    /**
     * numpy's percentile with its default linear method over the non-NaN values, including numpy's two-sided
     * interpolation, so results match Optuna's to the last bit; NaN for no values. Sorting first makes the result
     * independent of the order the trials came in.
     */
    static double nanPercentile(double[] values, double percentile) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double index = percentile / 100 * (sorted.length - 1);
        int below = (int) Math.floor(index);
        int above = Math.min(below + 1, sorted.length - 1);
        double t = index - below;
        double a = sorted[below];
        double b = sorted[above];
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    @Override
    public String toString() {
        return "PercentilePruner[percentile=" + percentile + ", startupTrials=" + startupTrials + ", warmupEpochs="
                + warmupEpochs + ", intervalEpochs=" + intervalEpochs + ", minTrials=" + minTrials + ", maximise="
                + maximise + "]";
    }
}
