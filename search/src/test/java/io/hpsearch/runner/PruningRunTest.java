package io.hpsearch.runner;

import io.hpsearch.data.Dataset;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real run with a pruner, on the repository's Fashion-MNIST slice: hopeless trials end PRUNED, early. */
class PruningRunTest {
    private static final Path DATA = Path.of("../testdata/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void trialsThatTrailTheOthersArePrunedStoredAndRankedBelowCompletedOnes() {
        // Half the networks learn at a rate a thousand times too small: after an epoch they trail every other.
        SpaceSpec spec = SpaceParser.parse("""
                name: pruned
                search: grid
                seed: 5
                pruner: {type: median, startup_trials: 2, warmup_epochs: 1}
                training: {epochs: 4, batch_size: 64, train_limit: 600}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {choice: [32, 16, 8]}
                  learning_rate: {choice: [0.01, 0.00001]}
                """, "pruned.yaml");
        Dataset data = FashionMnist.load(DATA).dataset();
        try (Store store = Store.open(dir.resolve("hpsearch"))) {
            SearchRunner.Outcome outcome = new SearchRunner(store, data, 1, 1,
                    RunListener.NONE).run(spec, "name: pruned\n");

            assertEquals(RunStatus.COMPLETED, outcome.status(), outcome.message());
            List<Trial> ranked = store.rankedTrials(outcome.runId(), 0);
            List<Trial> pruned = ranked.stream().filter(t -> t.state() == TrialState.PRUNED).toList();
            assertTrue(pruned.size() >= 2, "the slow learners are pruned: " + ranked);
            for (Trial t : pruned) {
                assertTrue(t.stoppedEpoch() < 4 && t.epochs() == t.stoppedEpoch(), "pruned early: " + t);
                assertTrue(t.failureReason().matches("pruned after epoch " + t.stoppedEpoch()
                        + " \\(\\d+ s of training\\) by the median pruner: .*"), t.failureReason());
                assertEquals(store.epochs(t.id()).get(t.stoppedEpoch() - 1).valAccuracy(), t.score(), 1e-12,
                        "a pruned trial's score is its last epoch's objective");
            }
            assertTrue(pruned.stream().filter(t -> t.params().contains("1.0E-5")).count() >= 2,
                    "the slow learners are among the pruned: " + pruned);
            double bestCompleted = ranked.get(0).score();
            assertTrue(pruned.stream().allMatch(t -> t.score() < bestCompleted), "a pruned trial trailed: " + ranked);
            int firstPruned = ranked.indexOf(pruned.get(0));
            assertTrue(ranked.subList(0, firstPruned).stream().allMatch(t -> t.state() == TrialState.COMPLETED),
                    "completed trials rank first: " + ranked);
            RunSummary summary = store.runSummary(outcome.runId()).orElseThrow();
            assertEquals(pruned.size(), summary.pruned());
            assertEquals(6, summary.total());
        }
    }

    @Test
    void aResumedRunKeepsItsPrunedTrialsAndPrunesTheRestTheSameWay() {
        String yaml = """
                name: resumed
                search: grid
                seed: 5
                pruner: {type: asha, min_epochs: 1, reduction_factor: 3}
                training: {epochs: 3, batch_size: 64, train_limit: 600}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {choice: [32, 16, 8]}
                  learning_rate: {choice: [0.01, 0.00001]}
                """;
        SpaceSpec spec = SpaceParser.parse(yaml, "resumed.yaml");
        Dataset data = FashionMnist.load(DATA).dataset();
        try (Store store = Store.open(dir.resolve("hpsearch"))) {
            SearchRunner[] first = new SearchRunner[1];
            int[] finished = new int[1];
            first[0] = new SearchRunner(store, data, 1, 1, new RunListener() {
                @Override
                public void trialFinished(int number, TrialState state, Double score, String reason) {
                    if (++finished[0] == 4) {
                        first[0].cancel();
                    }
                }
            });
            SearchRunner.Outcome stopped = first[0].run(spec, yaml);
            assertEquals(RunStatus.CANCELLED, stopped.status());
            List<Trial> before = store.trials(stopped.runId()).stream()
                    .filter(t -> t.state() == TrialState.PRUNED).toList();
            assertTrue(!before.isEmpty(), "some trials were pruned before the stop: " + store.trials(stopped.runId()));

            SearchRunner.Outcome resumed = new SearchRunner(store, data, 1, 1,
                    RunListener.NONE).resume(stopped.runId());

            assertEquals(RunStatus.COMPLETED, resumed.status(), resumed.message());
            List<Trial> after = store.trials(stopped.runId());
            assertEquals(6, after.size(), "the whole grid, each network once: " + after);
            for (Trial t : before) {
                Trial now = after.stream().filter(a -> a.number() == t.number()).findFirst().orElseThrow();
                assertEquals(TrialState.PRUNED, now.state(), "pruned trials stay pruned");
                assertEquals(t.stoppedEpoch(), now.stoppedEpoch());
                assertEquals(t.score(), now.score());
            }
            assertTrue(after.stream().noneMatch(t -> t.state() == TrialState.RUNNING
                    || t.state() == TrialState.CANCELLED), after.toString());
        }
    }

    @Test
    void ashaInMinutesOfTrainingPrunesTheSlowLearnersFromTheEpochsTheyTookAndTheOthersDid() {
        // Rungs at 0.006, 0.018, 0.054, 0.16, 0.49 ... seconds of a trial's training: a trial's first epoch passes
        // several, and each is judged against what the others had after the same training. Nothing would be pruned
        // if the trial's own epoch durations, or the other trials' as the store keeps them, did not reach the pruner.
        SpaceSpec spec = SpaceParser.parse("""
                name: timed
                search: grid
                seed: 5
                pruner: {type: asha, min_minutes: 0.0001, reduction_factor: 3}
                training: {epochs: 3, batch_size: 64, train_limit: 600}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {choice: [32, 16, 8]}
                  learning_rate: {choice: [0.01, 0.00001]}
                """, "timed.yaml");
        Dataset data = FashionMnist.load(DATA).dataset();
        try (Store store = Store.open(dir.resolve("hpsearch"))) {
            SearchRunner.Outcome outcome = new SearchRunner(store, data, 1, 1,
                    RunListener.NONE).run(spec, "name: timed\n");

            assertEquals(RunStatus.COMPLETED, outcome.status(), outcome.message());
            List<Trial> trials = store.trials(outcome.runId());
            List<Trial> pruned = trials.stream().filter(t -> t.state() == TrialState.PRUNED).toList();
            assertTrue(pruned.stream().filter(t -> t.params().contains("1.0E-5")).count() >= 2,
                    "the slow learners are pruned: " + trials);
            for (Trial t : pruned) {
                // The reason states the training time the pruner judged, as the store has it.
                double trained = store.epochs(t.id()).stream().mapToDouble(EpochMetrics::seconds).sum();
                assertTrue(t.failureReason().startsWith("pruned after epoch " + t.stoppedEpoch() + " ("
                        + Math.round(trained) + " s of training) by the asha pruner"), t.failureReason());
            }
            assertTrue(trials.stream().anyMatch(t -> t.state() == TrialState.COMPLETED), trials.toString());
        }
    }
}
