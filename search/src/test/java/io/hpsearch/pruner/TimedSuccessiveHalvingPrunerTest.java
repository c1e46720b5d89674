package io.hpsearch.pruner;

import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.Objective;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.hpsearch.pruner.Histories.timed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ASHA with rungs in minutes of each trial's training (pruner: {type: asha, min_minutes: M}). */
class TimedSuccessiveHalvingPrunerTest {
    /** Rungs at 10, 30, 90 ... minutes of training. */
    private final TimedSuccessiveHalvingPruner pruner = new TimedSuccessiveHalvingPruner(600, 3, 0, 0,
            Objective.VAL_ACCURACY);

    @Test
    void rungsAreInSecondsOfTraining() {
        assertEquals(List.of(600.0, 1800.0, 5400.0), pruner.rungsBetween(0, 6000));
        assertEquals(List.of(1800.0), pruner.rungsBetween(600, 1800), "a rung just reached counts; one left does not");
        assertEquals(List.of(), pruner.rungsBetween(601, 1799));
        assertEquals(List.of(5400.0), new TimedSuccessiveHalvingPruner(600, 3, 2, 0, Objective.VAL_ACCURACY)
                .rungsBetween(0, 6000), "min_early_stopping_rate skips rungs");
    }

    @Test
    void aSlowNetworkIsJudgedAfterTheSameTrainingTimeNotTheSameEpochs() {
        // A fast network: 5-minute epochs, 0.80 after its 2nd (10 min), 0.88 after its 6th (30 min).
        TrialRecord fast = timed(1, TrialState.RUNNING, 300, 0.70, 0.80, 0.84, 0.86, 0.87, 0.88, 0.89);
        // A slow one: 40-minute epochs. Its first epoch passes the 10- and 30-minute rungs at once.
        TrialRecord slowBehind = timed(2, TrialState.RUNNING, 2400, 0.85);
        assertTrue(pruner.prune(slowBehind, List.of(fast)), "0.85 after 40 min trails 0.88 at 30 min");
        TrialRecord slowAhead = timed(2, TrialState.RUNNING, 2400, 0.89);
        assertFalse(pruner.prune(slowAhead, List.of(fast)), "0.89 leads at both rungs");
        TrialRecord slowMiddling = timed(2, TrialState.RUNNING, 2400, 0.82);
        assertTrue(pruner.prune(slowMiddling, List.of(fast)), "ahead at 10 minutes (0.80), behind at 30 (0.88): "
                + "it must pass every rung it passed");
        // By epochs (rungs at 1, 3, 9) the slow network would have been compared at epoch 1 with the fast one's
        // 0.70, after 5 minutes of training against its 40.
        assertFalse(new SuccessiveHalvingPruner(1, 3, 0, 0, Objective.VAL_ACCURACY)
                .prune(Histories.running(2, 0.82), List.of(Histories.running(1, 0.70, 0.80))));
    }

    @Test
    void progressCountsTheRungsATrialWasJudgedAtNotItsEpochs() {
        // Twenty 1-minute epochs: judged at 10 minutes only. One 40-minute epoch: at 10 minutes (it passed 10 and
        // 30, and a pruned trial counts at the lowest of its last epoch's rungs). Three: 10 and 30, then 90.
        assertEquals(1, pruner.progress(timed(1, TrialState.PRUNED, 60, Histories.flat(0.5, 20))));
        assertEquals(1, pruner.progress(timed(2, TrialState.PRUNED, 2400, 0.5)));
        assertEquals(3, pruner.progress(timed(3, TrialState.PRUNED, 2400, 0.5, 0.6, 0.7)));
        assertEquals(0, pruner.progress(timed(4, TrialState.RUNNING, 60)), "no epoch yet");
        assertEquals(20, Pruner.NONE.progress(timed(1, TrialState.PRUNED, 60, Histories.flat(0.5, 20))),
                "pruners by epochs count epochs, as Optuna counts steps");
    }

    @Test
    void anEpochThatPassesNoRungIsNotJudged() {
        TrialRecord leader = timed(1, TrialState.RUNNING, 300, 0.95, 0.95, 0.95);
        assertFalse(pruner.prune(timed(2, TrialState.RUNNING, 300, 0.10), List.of(leader)), "5 of 10 minutes");
        assertTrue(pruner.prune(timed(2, TrialState.RUNNING, 300, 0.10, 0.10), List.of(leader)), "10 of 10");
        assertFalse(pruner.prune(timed(2, TrialState.RUNNING, 300, 0.10, 0.10, 0.10), List.of(leader)),
                "15 minutes: between rungs (it was judged at 10; a run that let it on is not reversed here)");
    }

    @Test
    void theTopThirdGoesOnAndLossIsMinimised() {
        List<TrialRecord> others = List.of(timed(1, TrialState.COMPLETED, 600, 0.5),
                timed(2, TrialState.PRUNED, 600, 0.6), timed(3, TrialState.PRUNED, 600, 0.7),
                timed(4, TrialState.PRUNED, 600, 0.8), timed(5, TrialState.PRUNED, 600, 0.9));
        // Six values at the 10-minute rung: the best two go on (floor(6 / 3)).
        assertFalse(pruner.prune(timed(6, TrialState.RUNNING, 600, 0.85), others));
        assertTrue(pruner.prune(timed(6, TrialState.RUNNING, 600, 0.75), others));
        TimedSuccessiveHalvingPruner byLoss = new TimedSuccessiveHalvingPruner(600, 3, 0, 0, Objective.VAL_LOSS);
        assertFalse(byLoss.prune(timed(6, TrialState.RUNNING, 600, 0.55), others));
        assertTrue(byLoss.prune(timed(6, TrialState.RUNNING, 600, 0.65), others));
    }

    @Test
    void aTrialPrunedAtOneRungHoldsNoValueAtTheRungsAboveItThatItsLastEpochPassed() {
        // A slow trial's single 40-minute epoch passed the 10- and 30-minute rungs; it was pruned at the first.
        TrialRecord prunedSlow = timed(1, TrialState.PRUNED, 2400, 0.99);
        TrialRecord runningSlow = timed(2, TrialState.RUNNING, 2400, 0.99);
        TrialRecord judged = timed(3, TrialState.RUNNING, 600, 0.80, 0.82, 0.85);
        assertFalse(pruner.prune(judged, List.of(prunedSlow)), "at 30 minutes the pruned trial does not compete");
        assertTrue(pruner.prune(judged, List.of(runningSlow)), "a trial still training passed both rungs: it does");
        assertTrue(pruner.prune(timed(3, TrialState.RUNNING, 600, 0.80), List.of(prunedSlow)),
                "at 10 minutes it does");
    }

    @Test
    void nanIsPrunedAtARungAndBootstrapCountPrunesTheFirstArrivals() {
        assertTrue(pruner.prune(timed(1, TrialState.RUNNING, 600, Double.NaN), List.of()));
        TimedSuccessiveHalvingPruner bootstrap = new TimedSuccessiveHalvingPruner(600, 3, 0, 1,
                Objective.VAL_ACCURACY);
        assertTrue(bootstrap.prune(timed(1, TrialState.RUNNING, 600, 0.9), List.of()), "first at the rung");
        assertFalse(bootstrap.prune(timed(2, TrialState.RUNNING, 600, 0.9),
                List.of(timed(1, TrialState.PRUNED, 600, 0.8))));
    }

    @Test
    void aSpaceAsksForItWithMinMinutes() {
        SpaceSpec spec = SpaceParser.parse("""
                name: timed
                search: random
                max_trials: 10
                model: {type: mlp, hidden_layers: 1, units: {choice: [16, 32]}, learning_rate: 0.001}
                pruner: {type: asha, min_minutes: 2.5, reduction_factor: 3}
                """, "timed.yaml");
        TimedSuccessiveHalvingPruner timed = assertInstanceOf(TimedSuccessiveHalvingPruner.class,
                Pruners.of(spec));
        assertEquals(List.of(150.0, 450.0), timed.rungsBetween(0, 500));
        assertEquals(2.5, spec.options().pruner().describe().get("min_minutes"));
        assertFalse(spec.options().pruner().describe().containsKey("min_epochs"));
        assertEquals("random search, asha pruning at 2.5, 7.5, 22.5 ... minutes of each trial's training",
                io.hpsearch.sampler.Samplers.describe(spec));
    }
}
