package io.hpsearch.pruner;

import io.hpsearch.store.Objective;
import io.hpsearch.trial.TrialRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Optuna's HyperbandPruner (optuna/pruners/_hyperband.py): several brackets of successive halving, bracket
 * {@code b} being a {@link SuccessiveHalvingPruner} with {@code min_early_stopping_rate = b}, so bracket 0 judges
 * from {@code minEpochs} on and each later bracket starts judging {@code reductionFactor} times later. Each trial
 * belongs to one bracket, fixed by its number, and is compared only with the trials of that bracket.
 *
 * <p>Brackets: {@code floor(log_reductionFactor(maxEpochs / minEpochs)) + 1}, Optuna's formula, computed here in
 * integers (the largest {@code k} with {@code minEpochs x reductionFactor^k <= maxEpochs}, plus one). Optuna
 * computes it with a floating-point logarithm, which comes out one short for some exact powers (Python's
 * {@code math.log(243, 3)} is 4.999...); this is the one deliberate difference.
 *
 * <p>Bracket of a trial: as Optuna, bracket {@code s} gets the budget {@code ceil(n x reductionFactor^(n-1-s) /
 * (n - s))} of {@code n} brackets, and a trial goes to the bracket its hash falls in when the budgets are laid end
 * to end: {@code CRC32("hpsearch_" + number) mod (sum of budgets)}. Optuna hashes {@code "<study name>_<number>"};
 * here the "study" is always {@code hpsearch}, so the bracket depends on the trial number only and is the same on
 * resume and with any number of workers. With factor 3 and 4 brackets the budgets are 27, 12, 6, 4: most trials go
 * to the aggressive brackets, as in the Hyperband paper.
 *
 * <p>Top rung: a rung at {@code maxEpochs} or later judges nothing, because a trial there has trained all its
 * epochs: pruning it would save no training and only rank a finished trial below the completed ones. This is what
 * Optuna does when steps are reported from zero, as its documentation's example does: the step numbered
 * {@code max_resource} is never reported. So the last bracket, whose first rung is {@code maxEpochs} when that is
 * an exact power, never prunes, like the paper's bracket that trains every configuration fully.
 *
 * <p>Stateless: a pure function of the trial and the others, in whatever order they come.
 */
public final class HyperbandPruner implements Pruner {
    /** The study name in Optuna's bracket hash. */
    private static final String HASH_PREFIX = "hpsearch_";

    private final List<SuccessiveHalvingPruner> brackets = new ArrayList<>();
    private final long[] budgets;
    private final long totalBudget;

    /**
     * @param minEpochs       epochs before the first rung of bracket 0 (min_resource)
     * @param maxEpochs       a trial's most epochs (max_resource): the space's training.epochs
     * @param reductionFactor 1 in this many trials passes a rung (reduction_factor), at least 2
     * @param bootstrapCount  trials pruned at each rung before any passes it (bootstrap_count)
     * @param objective       which way is better
     */
    public HyperbandPruner(int minEpochs, int maxEpochs, int reductionFactor, int bootstrapCount,
                           Objective objective) {
        if (minEpochs < 1) {
            throw new IllegalArgumentException("min_epochs must be at least 1 (" + minEpochs + ")");
        }
        if (maxEpochs < minEpochs) {
            throw new IllegalArgumentException("hyperband needs training.epochs (" + maxEpochs
                    + ") of at least min_epochs (" + minEpochs + ")");
        }
        if (reductionFactor < 2) {
            throw new IllegalArgumentException("reduction_factor must be at least 2 (" + reductionFactor + ")");
        }
        int n = bracketCount(minEpochs, maxEpochs, reductionFactor);
        budgets = new long[n];
        long total = 0;
        for (int b = 0; b < n; b++) {
            budgets[b] = budget(n, b, reductionFactor);
            total += budgets[b];
            brackets.add(new SuccessiveHalvingPruner(minEpochs, reductionFactor, b, bootstrapCount, maxEpochs,
                    objective));
        }
        totalBudget = total;
    }

    /** Optuna's n_brackets: {@code floor(log_factor(max / min)) + 1}, in exact arithmetic. */
    static int bracketCount(int minEpochs, int maxEpochs, int reductionFactor) {
        int n = 1;
        for (long r = (long) minEpochs * reductionFactor; r <= maxEpochs; r *= reductionFactor) {
            n++;
        }
        return n;
    }

    /** Optuna's _calculate_trial_allocation_budget: {@code ceil(n x factor^s / (s + 1))}, {@code s = n - 1 - b}. */
    private static long budget(int n, int bracket, int reductionFactor) {
        int s = n - 1 - bracket;
        long power = 1;
        for (int i = 0; i < s; i++) {
            power *= reductionFactor; // n <= 31 brackets of int epochs, and factor^s <= maxEpochs: no overflow
        }
        long numerator = n * power;
        return (numerator + s) / (s + 1);
    }

    /** How many brackets there are. */
    public int brackets() {
        return brackets.size();
    }

    /** The bracket (0 = the most aggressive) that trial {@code number} belongs to. */
    public int bracketOf(int number) {
        CRC32 crc = new CRC32();
        crc.update((HASH_PREFIX + number).getBytes(StandardCharsets.UTF_8));
        long n = crc.getValue() % totalBudget;
        for (int b = 0; b < budgets.length; b++) {
            n -= budgets[b];
            if (n < 0) {
                return b;
            }
        }
        throw new IllegalStateException("unreachable: the hash is below the total budget");
    }

    /** Bracket {@code b}'s successive halving, for its rung epochs. */
    public SuccessiveHalvingPruner bracket(int b) {
        return brackets.get(b);
    }

    @Override
    public boolean prune(TrialRecord trial, List<TrialRecord> others) {
        int bracket = bracketOf(trial.number());
        List<TrialRecord> sameBracket = new ArrayList<>();
        for (TrialRecord t : others) {
            if (bracketOf(t.number()) == bracket) {
                sameBracket.add(t);
            }
        }
        return brackets.get(bracket).prune(trial, sameBracket);
    }

    @Override
    public String toString() {
        return "HyperbandPruner[" + brackets + "]";
    }
}
