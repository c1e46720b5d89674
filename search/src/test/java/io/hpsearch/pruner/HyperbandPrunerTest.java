package io.hpsearch.pruner;

import io.hpsearch.store.Objective;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.hpsearch.pruner.Histories.completed;
import static io.hpsearch.pruner.Histories.flat;
import static io.hpsearch.pruner.Histories.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperbandPrunerTest {
    private static final Objective MAX = Objective.VAL_ACCURACY;

    private static HyperbandPruner hyperband(int min, int max, int factor) {
        return new HyperbandPruner(min, max, factor, 0, MAX);
    }

    @Test
    void bracketCountIsOptunasFormula() {
        // floor(log_factor(max / min)) + 1.
        assertEquals(4, hyperband(1, 27, 3).brackets());
        assertEquals(3, hyperband(1, 26, 3).brackets());
        assertEquals(3, hyperband(3, 27, 3).brackets());
        assertEquals(5, hyperband(1, 16, 2).brackets());
        assertEquals(1, hyperband(5, 9, 3).brackets());
        // Exact where Optuna's floating-point log is one short (math.log(243, 3) = 4.999...): the documented
        // formula gives 6.
        assertEquals(6, hyperband(1, 243, 3).brackets());
    }

    @Test
    void eachBracketIsSuccessiveHalvingStartingOneRungLater() {
        HyperbandPruner pruner = hyperband(1, 27, 3);
        assertEquals(List.of(1, 3, 9), pruner.bracket(0).rungEpochs(27));
        assertEquals(List.of(3, 9), pruner.bracket(1).rungEpochs(27));
        assertEquals(List.of(9), pruner.bracket(2).rungEpochs(27));
        // The rung at training.epochs judges nothing: the last bracket trains every trial fully.
        assertEquals(List.of(), pruner.bracket(3).rungEpochs(27));
        // Below an exact power the last bracket does judge, at its one rung.
        assertEquals(List.of(27), hyperband(1, 30, 3).bracket(3).rungEpochs(30));
    }

    @Test
    void bracketsAreOptunasHashOfTheTrialNumber() {
        // Optuna's _get_bracket_id for a study named "hpsearch" (budgets 27, 12, 6, 4 for min 1, max 27,
        // factor 3; 16, 10, 7, 5, 5 for min 1, max 16, factor 2), trials 1 to 20, computed with Optuna's code.
        assertEquals(List.of(1, 0, 0, 1, 2, 1, 1, 0, 2, 0, 0, 2, 0, 0, 3, 1, 1, 1, 1, 1),
                brackets(hyperband(1, 27, 3), 20));
        assertEquals(List.of(2, 0, 0, 1, 1, 0, 2, 4, 4, 0, 0, 0, 0, 0, 2, 0, 2, 3, 0, 4),
                brackets(hyperband(1, 16, 2), 20));
        // The same from another instance: nothing but the number decides.
        assertEquals(brackets(hyperband(1, 27, 3), 200), brackets(hyperband(1, 27, 3), 200));
    }

    @Test
    void bracketsAreSpreadInProportionToTheirBudgets() {
        HyperbandPruner pruner = hyperband(1, 27, 3);
        int trials = 4900;
        int[] counts = new int[pruner.brackets()];
        for (int n = 1; n <= trials; n++) {
            counts[pruner.bracketOf(n)]++;
        }
        double[] budgets = {27, 12, 6, 4};
        for (int b = 0; b < counts.length; b++) {
            double expected = trials * budgets[b] / 49;
            assertTrue(Math.abs(counts[b] - expected) < 0.15 * expected, "bracket " + b + ": " + counts[b]
                    + " trials, expected about " + expected);
        }
    }

    @Test
    void comparesOnlyWithinTheBracket() {
        HyperbandPruner pruner = hyperband(1, 27, 3);
        List<Integer> bracket0 = numbersIn(pruner, 0, 3);
        List<Integer> elsewhere = new ArrayList<>();
        for (int b = 1; b < pruner.brackets(); b++) {
            elsewhere.addAll(numbersIn(pruner, b, 3));
        }
        int judged = bracket0.get(0);
        // Far better trials in other brackets: at its rung (epoch 1) the trial is alone in its bracket.
        List<TrialRecord> others = new ArrayList<>();
        for (int n : elsewhere) {
            others.add(completed(n, flat(0.99, 27)));
        }
        assertFalse(pruner.prune(running(judged, 0.1), others));
        // One better trial of its own bracket: with two at the rung only the best goes on.
        others.add(completed(bracket0.get(1), flat(0.5, 27)));
        assertTrue(pruner.prune(running(judged, 0.1), others));
        assertFalse(pruner.prune(running(judged, 0.6), others));
    }

    @Test
    void aLaterBracketStartsJudgingLater() {
        HyperbandPruner pruner = hyperband(1, 27, 3);
        List<Integer> bracket1 = numbersIn(pruner, 1, 2);
        List<TrialRecord> others = List.of(completed(bracket1.get(1), flat(0.9, 27)));
        int judged = bracket1.get(0);
        // Behind its bracket's other trial at every epoch, but bracket 1's first rung is epoch 3.
        assertFalse(pruner.prune(running(judged, flat(0.1, 1)), others));
        assertFalse(pruner.prune(running(judged, flat(0.1, 2)), others));
        assertTrue(pruner.prune(running(judged, flat(0.1, 3)), others));

        // The last bracket never prunes: its only rung is the last epoch.
        List<Integer> bracket3 = numbersIn(pruner, 3, 2);
        List<TrialRecord> better = List.of(completed(bracket3.get(1), flat(0.9, 27)));
        for (int e = 1; e <= 27; e++) {
            assertFalse(pruner.prune(running(bracket3.get(0), flat(0.1, e)), better), "epoch " + e);
        }
    }

    @Test
    void refusesImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> hyperband(0, 27, 3));
        assertThrows(IllegalArgumentException.class, () -> hyperband(10, 9, 3));
        assertThrows(IllegalArgumentException.class, () -> hyperband(1, 27, 1));
        assertNotEquals(0, hyperband(9, 9, 3).brackets());
    }

    private static List<Integer> brackets(HyperbandPruner pruner, int trials) {
        List<Integer> out = new ArrayList<>();
        for (int n = 1; n <= trials; n++) {
            out.add(pruner.bracketOf(n));
        }
        return out;
    }

    /** The first {@code count} trial numbers that fall in bracket {@code b}. */
    private static List<Integer> numbersIn(HyperbandPruner pruner, int b, int count) {
        List<Integer> out = new ArrayList<>();
        for (int n = 1; out.size() < count; n++) {
            if (pruner.bracketOf(n) == b) {
                out.add(n);
            }
        }
        return out;
    }
}
