package io.hpsearch.pruner;

import io.hpsearch.store.Objective;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.hpsearch.pruner.Histories.completed;
import static io.hpsearch.pruner.Histories.pruned;
import static io.hpsearch.pruner.Histories.running;
import static io.hpsearch.pruner.Histories.trial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The median (and percentile) rule, case by case; scenarios marked "Optuna" are tests/pruners_tests/test_median.py
 * and test_percentile.py with the same expected outcome, Optuna's step {@code s} being epoch {@code s + 1} here.
 */
class MedianPrunerTest {
    private static final Objective MIN = Objective.VAL_LOSS;
    private static final Objective MAX = Objective.VAL_ACCURACY;

    private static PercentilePruner median(int startup, int warmup, int interval, int minTrials, Objective o) {
        return PercentilePruner.median(startup, warmup, interval, minTrials, o);
    }

    @Test
    void aFirstTrialIsNeverPruned() {
        // Optuna: test_median_pruner_with_one_trial.
        assertFalse(median(0, 0, 1, 1, MIN).prune(running(1, 1), List.of()));
    }

    @Test
    void worseThanTheMedianIsPrunedInBothDirections() {
        // Optuna: test_median_pruner_intermediate_values, ("minimize", 2) and ("maximize", 0.5).
        assertTrue(median(0, 0, 1, 1, MIN).prune(running(2, 2), List.of(completed(1, 1))));
        assertTrue(median(0, 0, 1, 1, MAX).prune(running(2, 0.5), List.of(completed(1, 1))));
        // The same values the other way round are better, and a tie is not worse.
        assertFalse(median(0, 0, 1, 1, MIN).prune(running(2, 0.5), List.of(completed(1, 1))));
        assertFalse(median(0, 0, 1, 1, MAX).prune(running(2, 2), List.of(completed(1, 1))));
        assertFalse(median(0, 0, 1, 1, MAX).prune(running(2, 1), List.of(completed(1, 1))));
    }

    @Test
    void comparesTheTrialsBestSoFarWithTheOthersValuesAtThisEpoch() {
        // Accuracy: the trial fell from 0.9 to 0.3, but its best so far (0.9) beats the median at epoch 2 (0.5).
        List<TrialRecord> others = List.of(completed(1, 0.5, 0.5), completed(2, 0.5, 0.5), completed(3, 0.5, 0.5));
        assertFalse(median(0, 0, 1, 1, MAX).prune(running(4, 0.9, 0.3), others));
        // Loss: the same, the best being the lowest.
        assertFalse(median(0, 0, 1, 1, MIN).prune(running(4, 0.1, 0.7), others));
        assertTrue(median(0, 0, 1, 1, MIN).prune(running(4, 0.7, 0.6), others));

        // The others count with their value at exactly this epoch, not their best so far (as Optuna): at epoch 2
        // the completed trial has fallen to 0.1, so 0.5 is not below it, although it is below its 0.9 at epoch 1.
        List<TrialRecord> fell = List.of(completed(1, 0.9, 0.1));
        assertTrue(median(0, 0, 1, 1, MAX).prune(running(2, 0.5), fell));
        assertFalse(median(0, 0, 1, 1, MAX).prune(running(2, 0.5, 0.5), fell));
    }

    @Test
    void medianOfAnEvenCountIsInterpolated() {
        List<TrialRecord> others = List.of(completed(1, 0.2), completed(2, 0.4), completed(3, 0.6),
                completed(4, 0.8));
        // Median 0.5 whichever the direction.
        assertTrue(median(0, 0, 1, 1, MAX).prune(running(5, 0.49), others));
        assertFalse(median(0, 0, 1, 1, MAX).prune(running(5, 0.51), others));
        assertTrue(median(0, 0, 1, 1, MIN).prune(running(5, 0.51), others));
        assertFalse(median(0, 0, 1, 1, MIN).prune(running(5, 0.49), others));
    }

    @Test
    void startupCountsCompletedTrialsOnly() {
        // Optuna: test_median_pruner_n_startup_trials (MedianPruner(2, 0)).
        PercentilePruner pruner = median(2, 0, 1, 1, MIN);
        assertFalse(pruner.prune(running(2, 2), List.of(completed(1, 1))));
        assertTrue(pruner.prune(running(3, 3), List.of(completed(1, 1), completed(2, 2))));

        // Pruned, running, failed, cancelled and interrupted trials neither start pruning nor are the reference.
        List<TrialRecord> others = new ArrayList<>(List.of(completed(1, 1), pruned(2, 9), running(3, 9),
                trial(4, TrialState.FAILED, 9), trial(5, TrialState.CANCELLED, 9),
                trial(6, TrialState.INTERRUPTED, 9)));
        assertFalse(pruner.prune(running(7, 3), others));
        others.add(completed(8, 2));
        // The median is 1.5 (of the completed 1 and 2), not 9 (of all): 3 is pruned.
        assertTrue(pruner.prune(running(7, 3), others));
    }

    @Test
    void warmupEpochsAreNeverPruned() {
        // Optuna: test_median_pruner_n_warmup_steps (MedianPruner(0, 1)): step 0 is safe, step 1 is judged.
        PercentilePruner one = median(0, 1, 1, 1, MIN);
        List<TrialRecord> others = List.of(completed(1, 1, 1));
        assertFalse(one.prune(running(2, 2), others));
        assertTrue(one.prune(running(2, 2, 2), others));

        // The warmup_epochs: 2: epochs 1 and 2 are safe, epoch 3 is the first judged.
        PercentilePruner two = median(0, 2, 1, 1, MIN);
        List<TrialRecord> longer = List.of(completed(1, 1, 1, 1));
        assertFalse(two.prune(running(2, 2), longer));
        assertFalse(two.prune(running(2, 2, 2), longer));
        assertTrue(two.prune(running(2, 2, 2, 2), longer));
    }

    @Test
    void intervalEpochsCountFromTheEndOfTheWarmup() {
        // Optuna: test_median_pruner_interval_steps with a report at every step, (n_warmup_steps, interval_steps)
        // -> steps pruned: (0, 1) -> 0..5, (1, 1) -> 1..5, (1, 2) -> 1, 3, 5; here each step is one epoch later.
        assertEquals(List.of(1, 2, 3, 4, 5, 6), prunedEpochs(0, 1, 6));
        assertEquals(List.of(2, 3, 4, 5, 6), prunedEpochs(1, 1, 6));
        assertEquals(List.of(2, 4, 6), prunedEpochs(1, 2, 6));
        assertEquals(List.of(3, 6, 9), prunedEpochs(2, 3, 10));
    }

    /** The epochs at which a trial always worse than a completed one would be pruned, were it not stopped. */
    private static List<Integer> prunedEpochs(int warmup, int interval, int epochs) {
        PercentilePruner pruner = median(0, warmup, interval, 1, MIN);
        List<TrialRecord> others = List.of(completed(1, Histories.flat(0, epochs)));
        List<Integer> out = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            if (pruner.prune(running(2, Histories.flat(2, e)), others)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void minTrialsCountsCompletedTrialsWithAValueAtThisEpoch() {
        // Optuna: test_median_pruner_n_min_trials (MedianPruner(2, 0, 1, n_min_trials=2)).
        PercentilePruner pruner = median(2, 0, 1, 2, MIN);
        List<TrialRecord> others = new ArrayList<>(List.of(completed(1, 4, 2), completed(2, 3)));
        // Only trial 1 has a value at epoch 2.
        assertFalse(pruner.prune(running(3, 4, 3), others));
        others.add(completed(3, 4, 3));
        // Now two do (2 and 3, median 2.5), and this trial's best, 3, is worse.
        assertTrue(pruner.prune(running(4, 4, 3), others));
    }

    @Test
    void nanValues() {
        // Optuna: test_median_pruner_intermediate_values_nan.
        PercentilePruner pruner = median(0, 0, 1, 1, MIN);
        double nan = Double.NaN;
        // No completed trial yet: nothing to compare with.
        assertFalse(pruner.prune(running(1, nan), List.of()));
        // A trial whose values are all NaN is pruned.
        assertTrue(pruner.prune(running(2, nan), List.of(completed(1, nan))));
        // A NaN median prunes nothing.
        assertFalse(pruner.prune(running(3, 1), List.of(completed(1, nan), completed(2, nan))));

        // As Optuna, the best so far skips NaN values: a NaN after a good epoch is judged by the good one.
        assertFalse(median(0, 0, 1, 1, MAX).prune(running(2, 0.9, nan), List.of(completed(1, 0.5, 0.5))));
        assertTrue(median(0, 0, 1, 1, MAX).prune(running(2, 0.1, nan), List.of(completed(1, 0.5, 0.5))));
        // NaN values of others count towards min_trials but are left out of the median.
        List<TrialRecord> others = List.of(completed(1, nan), completed(2, 0.5));
        assertTrue(median(0, 0, 1, 2, MAX).prune(running(3, 0.4), others));
        assertFalse(median(0, 0, 1, 3, MAX).prune(running(3, 0.4), others));
    }

    @Test
    void percentileAsOptuna() {
        // Optuna: test_25_percentile_pruner_intermediate_values, trials 1..5 at one step.
        List<TrialRecord> others = List.of(completed(1, 1), completed(2, 2), completed(3, 3), completed(4, 4),
                completed(5, 5));
        assertTrue(new PercentilePruner(25, 0, 0, 1, 1, MIN).prune(running(6, 2.1), others));
        assertTrue(new PercentilePruner(25, 0, 0, 1, 1, MAX).prune(running(6, 3.9), others));
        assertFalse(new PercentilePruner(25, 0, 0, 1, 1, MIN).prune(running(6, 1.9), others));
        assertFalse(new PercentilePruner(25, 0, 0, 1, 1, MAX).prune(running(6, 4.1), others));

        // Optuna: test_get_percentile_intermediate_result_over_trials: 25th percentile of 0.1..0.9 is 0.3, of
        // 0.1..0.5 (four NaN left out) 0.2, of nothing NaN.
        assertEquals(0.3, PercentilePruner.nanPercentile(new double[]{0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8},
                25));
        assertEquals(0.2, PercentilePruner.nanPercentile(new double[]{0.1, 0.2, 0.3, 0.4, 0.5}, 25));
        assertTrue(Double.isNaN(PercentilePruner.nanPercentile(new double[0], 75)));
    }

    @Test
    void refusesSettingsOptunaRefuses() {
        assertThrows(IllegalArgumentException.class, () -> new PercentilePruner(100.1, 5, 0, 1, 1, MIN));
        assertThrows(IllegalArgumentException.class, () -> median(-1, 0, 1, 1, MIN));
        assertThrows(IllegalArgumentException.class, () -> median(5, -1, 1, 1, MIN));
        assertThrows(IllegalArgumentException.class, () -> median(5, 0, 0, 1, MIN));
        assertThrows(IllegalArgumentException.class, () -> median(5, 0, 1, 0, MIN));
    }
}
