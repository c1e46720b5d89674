package io.hpsearch.pruner;

import io.hpsearch.store.Objective;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One worker or many, first run or resume: the store hands the pruner the run's trials in no promised order, so
 * the same history must give the same decision whichever order the other trials come in.
 */
class PrunerOrderIndependenceTest {
    private static final TrialState[] STATES = {TrialState.RUNNING, TrialState.COMPLETED, TrialState.PRUNED,
            TrialState.FAILED, TrialState.CANCELLED, TrialState.INTERRUPTED};

    @Test
    void sameHistorySameDecisionInAnyOrder() {
        for (Objective objective : Objective.values()) {
            List<Pruner> pruners = List.of(PercentilePruner.median(3, 1, 1, 2, objective),
                    new SuccessiveHalvingPruner(1, 3, 0, 0, objective),
                    new SuccessiveHalvingPruner(1, 2, 0, 2, objective),
                    new HyperbandPruner(1, 27, 3, 0, objective));
            Random random = new Random(42);
            List<TrialRecord> history = history(random, 40, 27);
            for (Pruner pruner : pruners) {
                int pruned = 0;
                int kept = 0;
                for (TrialRecord judged : history) {
                    List<TrialRecord> others = new ArrayList<>(history);
                    others.remove(judged);
                    for (int e = 1; e <= judged.epochs(); e++) {
                        TrialRecord atEpoch = Histories.running(judged.number(),
                                java.util.Arrays.copyOf(judged.values(), e));
                        boolean expected = pruner.prune(atEpoch, others);
                        for (int shuffle = 0; shuffle < 3; shuffle++) {
                            List<TrialRecord> shuffled = new ArrayList<>(others);
                            Collections.shuffle(shuffled, random);
                            assertEquals(expected, pruner.prune(atEpoch, shuffled), pruner + ", trial "
                                    + judged.number() + ", epoch " + e);
                        }
                        if (expected) {
                            pruned++;
                        } else {
                            kept++;
                        }
                    }
                }
                // The history exercises both outcomes, so the check above means something.
                assertTrue(pruned > 0 && kept > 0, pruner + ": " + pruned + " pruned, " + kept + " kept");
            }
        }
    }

    /** Trials in every state, with learning curves of random lengths, some NaN values and some ties. */
    private static List<TrialRecord> history(Random random, int trials, int maxEpochs) {
        List<TrialRecord> out = new ArrayList<>();
        for (int n = 1; n <= trials; n++) {
            TrialState state = STATES[random.nextInt(STATES.length)];
            int epochs = state == TrialState.COMPLETED ? maxEpochs : 1 + random.nextInt(maxEpochs);
            double[] values = new double[epochs];
            double level = random.nextDouble();
            for (int e = 0; e < epochs; e++) {
                values[e] = random.nextInt(30) == 0 ? Double.NaN : Math.round(level * 20) / 20.0
                        + 0.01 * random.nextInt(3);
            }
            out.add(Histories.trial(n, state, values));
        }
        return out;
    }
}
