package io.hpsearch.pruner;

import io.hpsearch.store.Objective;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.hpsearch.pruner.Histories.completed;
import static io.hpsearch.pruner.Histories.flat;
import static io.hpsearch.pruner.Histories.pruned;
import static io.hpsearch.pruner.Histories.running;
import static io.hpsearch.pruner.Histories.trial;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ASHA, case by case; scenarios marked "Optuna" are tests/pruners_tests/test_successive_halving.py with the same
 * expected outcome (there, as here, the first value is reported at step 1).
 */
class SuccessiveHalvingPrunerTest {
    private static final Objective MIN = Objective.VAL_LOSS;
    private static final Objective MAX = Objective.VAL_ACCURACY;

    private static SuccessiveHalvingPruner asha(int minEpochs, int factor, Objective o) {
        return new SuccessiveHalvingPruner(minEpochs, factor, 0, 0, o);
    }

    @Test
    void rungsAreAtMinEpochsTimesPowersOfTheFactor() {
        assertEquals(List.of(1, 3, 9, 27), asha(1, 3, MAX).rungEpochs(30));
        assertEquals(List.of(2, 4, 8, 16), asha(2, 2, MAX).rungEpochs(16));
        // min_early_stopping_rate skips the first rungs.
        assertEquals(List.of(3, 9, 27), new SuccessiveHalvingPruner(1, 3, 1, 0, MAX).rungEpochs(30));
        assertEquals(List.of(4, 8), new SuccessiveHalvingPruner(1, 2, 2, 0, MAX).rungEpochs(10));
    }

    @Test
    void judgesOnlyAtRungs() {
        SuccessiveHalvingPruner pruner = asha(1, 3, MAX);
        List<TrialRecord> better = List.of(completed(1, flat(0.9, 9)), completed(2, flat(0.9, 9)));
        // Far behind from the start, yet pruned only at a rung epoch (1, 3, 9), never at 2, 4..8.
        for (int e = 1; e <= 9; e++) {
            boolean rung = e == 1 || e == 3 || e == 9;
            assertEquals(rung, pruner.prune(running(3, flat(0.1, e)), better), "epoch " + e);
        }
        // Optuna: test_successive_halving_pruner_min_early_stopping_rate_parameter: with rate 1 (factor 2) the
        // first rung is at step 2, so step 1 records and judges nothing.
        SuccessiveHalvingPruner later = new SuccessiveHalvingPruner(1, 2, 1, 0, MAX);
        assertFalse(later.prune(running(3, 0.1), better));
        assertTrue(later.prune(running(3, 0.1, 0.1), better));
    }

    @Test
    void aFirstTrialIsNeverPruned() {
        // Optuna: test_successive_halving_pruner_first_trial_is_not_pruned (factor 2, ten steps).
        SuccessiveHalvingPruner pruner = asha(1, 2, MIN);
        for (int e = 1; e <= 10; e++) {
            assertFalse(pruner.prune(running(1, flat(1, e)), List.of()));
        }
    }

    @Test
    void withFewerTrialsThanTheFactorOnlyTheBestGoesOn() {
        // Optuna: test_successive_halving_pruner_intermediate_values, ("minimize", 2) and ("maximize", 0.5).
        assertTrue(asha(1, 2, MIN).prune(running(2, 2), List.of(running(1, 1))));
        assertTrue(asha(1, 2, MAX).prune(running(2, 0.5), List.of(running(1, 1))));
        // A tie with the best goes on.
        assertFalse(asha(1, 2, MAX).prune(running(2, 1), List.of(running(1, 1))));
    }

    @Test
    void theTopThirdGoesOnAtEachRung() {
        // Factor 3: with 9 trials at a rung (the judged one included) the best 3 go on.
        List<TrialRecord> others = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            others.add(completed(i, flat(i / 10.0, 9)));
        }
        SuccessiveHalvingPruner max = asha(1, 3, MAX);
        // Others 0.1..0.8: 0.75 is second, 0.65 third (both go on), 0.55 fourth (pruned).
        assertFalse(max.prune(running(9, 0.75), others));
        assertFalse(max.prune(running(9, 0.65), others));
        assertFalse(max.prune(running(9, 0.7), others)); // ties with the second best: still in the top three
        assertTrue(max.prune(running(9, 0.55), others));
        // Loss: the best are the lowest: 0.25 is third, 0.35 fourth.
        SuccessiveHalvingPruner min = asha(1, 3, MIN);
        assertFalse(min.prune(running(9, 0.25), others));
        assertTrue(min.prune(running(9, 0.35), others));
        // With 6 at the rung only the best 2 go on.
        List<TrialRecord> five = others.subList(3, 8); // 0.4..0.8
        assertFalse(max.prune(running(9, 0.75), five));
        assertTrue(max.prune(running(9, 0.65), five));

        // The same at the next rung (epoch 3), with the values there.
        assertFalse(max.prune(running(9, 0.9, 0.9, 0.65), others));
        assertTrue(max.prune(running(9, 0.9, 0.9, 0.55), others));
    }

    @Test
    void decidesWithTheTrialsThatReachedTheRungSoFar() {
        SuccessiveHalvingPruner pruner = asha(1, 3, MAX);
        // Only trial 1 has reached epoch 3; trials 2 to 5 are still at epoch 2 with better values, but the rung
        // does not wait for them: 0.5 is the best of the two that got there.
        List<TrialRecord> others = new ArrayList<>(List.of(completed(1, 0.4, 0.4, 0.4), running(2, 0.9, 0.9),
                running(3, 0.9, 0.9), running(4, 0.9, 0.9), running(5, 0.9, 0.9)));
        assertFalse(pruner.prune(running(6, 0.5, 0.5, 0.5), others));
        // Later, the stragglers have reached it with better values: the same 0.5 is now behind.
        for (int n = 2; n <= 5; n++) {
            others.set(n - 1, running(n, 0.9, 0.9, 0.9));
        }
        others.add(running(6, 0.5, 0.5, 0.5, 0.5));
        assertTrue(pruner.prune(running(7, 0.5, 0.5, 0.5), others));
    }

    @Test
    void everyStateCountsAtARung() {
        // A pruned or failed trial's rung values still stand, as Optuna's completed_rung attributes do.
        SuccessiveHalvingPruner pruner = asha(1, 2, MIN);
        assertTrue(pruner.prune(running(3, 2), List.of(pruned(1, 1))));
        assertTrue(pruner.prune(running(3, 2), List.of(trial(1, TrialState.FAILED, 1))));
        assertTrue(pruner.prune(running(3, 2), List.of(trial(1, TrialState.INTERRUPTED, 1))));
        // A trial that never trained that far is not at the rung.
        assertFalse(pruner.prune(running(3, 2, 2), List.of(pruned(1, 1))));
    }

    @Test
    void bootstrapPrunesTheFirstTrialsAtARung() {
        // Optuna: test_successive_halving_pruner_bootstrap_parameter (factor 2, bootstrap_count 1): the first
        // trial at a rung is pruned, the second (with the first's value recorded) goes on.
        SuccessiveHalvingPruner pruner = new SuccessiveHalvingPruner(1, 2, 0, 1, MIN);
        assertTrue(pruner.prune(running(1, 1), List.of()));
        assertFalse(pruner.prune(running(2, 1), List.of(pruned(1, 1))));

        // bootstrap_count 2: the first two at the rung are pruned whatever their values.
        SuccessiveHalvingPruner two = new SuccessiveHalvingPruner(1, 3, 0, 2, MAX);
        assertTrue(two.prune(running(2, 0.99), List.of(pruned(1, 0.1))));
        assertFalse(two.prune(running(3, 0.99), List.of(pruned(1, 0.1), pruned(2, 0.2))));
        // Between rungs it prunes nothing, bootstrap or not.
        assertFalse(two.prune(running(3, 0.99, 0.99), List.of()));
    }

    @Test
    void nanValues() {
        // Optuna: test_successive_halving_pruner_with_nan (min_resource 2, factor 2): NaN at step 1 (no rung)
        // goes on, NaN at step 2 (a rung) is pruned.
        SuccessiveHalvingPruner pruner = asha(2, 2, MIN);
        assertFalse(pruner.prune(running(1, Double.NaN), List.of()));
        assertTrue(pruner.prune(running(1, Double.NaN, Double.NaN), List.of()));
        // Another trial's NaN at the rung was never recorded there (Optuna prunes it first): it does not compete.
        assertFalse(pruner.prune(running(2, 5, 5), List.of(pruned(1, 1, Double.NaN))));
    }

    @Test
    void refusesSettingsOptunaRefuses() {
        assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalvingPruner(0, 4, 0, 0, MIN));
        assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalvingPruner(1, 1, 0, 0, MIN));
        assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalvingPruner(1, 4, -1, 0, MIN));
        assertThrows(IllegalArgumentException.class, () -> new SuccessiveHalvingPruner(1, 4, 0, -1, MIN));
    }
}
