package io.hpsearch.runner;

import io.hpsearch.data.Dataset;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * max_minutes: a real run of networks that would each train far longer than the budget ends at it, every running
 * trial stopped after its epoch and kept, and the best evaluated on the test set.
 */
class TimeBudgetRunTest {
    private static final Path DATA = Path.of("../testdata/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void aRunStopsAtItsTimeBudgetAndKeepsWhatItsTrialsTrained() {
        // 3 seconds; each network would train 2,000 epochs (minutes).
        SpaceSpec spec = SpaceParser.parse("""
                name: budget
                search: random
                max_trials: 50
                max_minutes: 0.05
                training: {epochs: 2000, batch_size: 64, train_limit: 300}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {min: 8, max: 64}
                  learning_rate: 0.01
                """, "budget.yaml");
        assertEquals(Duration.ofSeconds(3), spec.timeBudget().orElseThrow());
        Dataset data = FashionMnist.load(DATA).dataset();
        try (Store store = Store.open(dir.resolve("hpsearch"))) {
            long start = System.nanoTime();
            SearchRunner.Outcome outcome = new SearchRunner(store, data, 2, 1, RunListener.NONE)
                    .run(spec, "name: budget\n");
            double seconds = (System.nanoTime() - start) / 1e9;

            assertEquals(RunStatus.COMPLETED, outcome.status(), outcome.message());
            assertTrue(outcome.message().contains("; the time budget (max_minutes: 0.05) ran out after 2 of the 50 "
                    + "planned trials"), outcome.message());
            assertTrue(seconds < 30, "the run ended near its budget: " + seconds + " s");
            Run run = store.run(outcome.runId()).orElseThrow();
            Duration budget = Duration.between(run.createdAt(), run.deadline());
            assertTrue(budget.compareTo(Duration.ofSeconds(3)) >= 0 && budget.compareTo(Duration.ofSeconds(13)) < 0,
                    "the deadline is 3 s after the run started (and loaded its data): " + budget);
            List<Trial> trials = store.trials(outcome.runId());
            assertEquals(2, trials.size(), "one trial per worker, each cut by the budget: " + trials);
            for (Trial t : trials) {
                assertEquals(TrialState.COMPLETED, t.state(), t.toString());
                assertTrue(t.stoppedEpoch() >= 1 && t.stoppedEpoch() < 2000 && t.epochs() == t.stoppedEpoch(),
                        "stopped after the epoch at the deadline: " + t);
                assertTrue(t.startedAt().isBefore(run.deadline()), t.toString());
                assertEquals(store.epochs(t.id()).get(t.stoppedEpoch() - 1).valAccuracy(), t.score(), 1e-12,
                        "without early stopping a trial keeps its last epoch: " + t);
            }
            assertTrue(outcome.test().isPresent(), "the best trial is evaluated on the test set");
            assertTrue(store.model(outcome.runId()).isPresent());
        }
    }

    @Test
    void aRunWhoseTimeRanOutBeforeAnyTrialCompletedIsNotResumed() {
        // Its 3 seconds pass (heartbeats going on) while its first trial starts, which is then cancelled before an
        // epoch ends: a resume gets no time and could only end it failed ("every trial failed", which none had), so
        // it is refused up front and the run stays as it was.
        String yaml = """
                name: spent
                search: random
                max_trials: 4
                max_minutes: 0.05
                training: {epochs: 50, batch_size: 64, train_limit: 3000}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: 32
                  learning_rate: 0.01
                """;
        SpaceSpec spec = SpaceParser.parse(yaml, "spent.yaml");
        Dataset data = FashionMnist.load(DATA).dataset();
        try (Store store = Store.open(dir.resolve("hpsearch"))) {
            SearchRunner[] runner = new SearchRunner[1];
            runner[0] = new SearchRunner(store, data, 1, 1, new RunListener() {
                @Override
                public void trialStarted(int number, io.hpsearch.trial.TrialParams params) {
                    Run run = store.runSummaries().get(0).run();
                    while (store.databaseNow().isBefore(run.deadline().plusSeconds(2))) {
                        sleep(100);
                    }
                    runner[0].cancel();
                }
            });
            SearchRunner.Outcome outcome = runner[0].run(spec, yaml);
            assertEquals(RunStatus.CANCELLED, outcome.status(), outcome.message());
            assertEquals(Optional.of(Duration.ZERO), store.timeLeft(outcome.runId()));

            ResumeException refused = assertThrows(ResumeException.class,
                    () -> SearchRunner.resumable(store, outcome.runId()));
            assertEquals("run " + outcome.runId() + "'s time budget (max_minutes: 0.05) ran out before any trial "
                    + "completed, so a resume would train nothing; start a new run of its space with a larger "
                    + "max_minutes (run --max-minutes M)", refused.getMessage());
            assertThrows(ResumeException.class, () -> new SearchRunner(store, data, 1, 1, RunListener.NONE)
                    .resume(outcome.runId()));
            assertEquals(RunStatus.CANCELLED, store.run(outcome.runId()).orElseThrow().status(), "left as it was");
        }
    }

    @Test
    void aRunCancelledWithTimeLeftResumesWithThatTime() {
        // Cancelled as its first trial starts, long before its 10 seconds are up, and resumed after they would have
        // passed by the clock: the time it lay cancelled does not count, so it trains and completes.
        String yaml = """
                name: left
                search: random
                max_trials: 2
                max_minutes: 0.1667
                training: {epochs: 1, batch_size: 64, train_limit: 300}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {min: 8, max: 64}
                  learning_rate: 0.01
                """;
        Dataset data = FashionMnist.load(DATA).dataset();
        try (Store store = Store.open(dir.resolve("hpsearch"))) {
            SearchRunner[] runner = new SearchRunner[1];
            runner[0] = new SearchRunner(store, data, 1, 1, new RunListener() {
                @Override
                public void trialStarted(int number, io.hpsearch.trial.TrialParams params) {
                    runner[0].cancel();
                }
            });
            SearchRunner.Outcome cancelled = runner[0].run(SpaceParser.parse(yaml, "left.yaml"), yaml);
            assertEquals(RunStatus.CANCELLED, cancelled.status(), cancelled.message());
            Duration left = store.timeLeft(cancelled.runId()).orElseThrow();
            assertTrue(left.compareTo(Duration.ofSeconds(5)) > 0, "most of its 10 s were left: " + left);
            sleep(Math.max(0, Duration.between(store.databaseNow(), store.run(cancelled.runId()).orElseThrow()
                    .deadline()).toMillis() + 500));

            SearchRunner.Outcome resumed = new SearchRunner(store, data, 1, 1, RunListener.NONE)
                    .resume(cancelled.runId());
            assertEquals(RunStatus.COMPLETED, resumed.status(), resumed.message());
            assertTrue(store.trials(cancelled.runId()).stream().anyMatch(t -> t.state() == TrialState.COMPLETED),
                    store.trials(cancelled.runId()).toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
