package io.hpsearch.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every database behind the store must do, run against a real H2 file ({@link H2StoreTest}) and a real
 * PostgreSQL server ({@link PostgresStoreTest}), each migrated by Flyway from the SQL the application ships (as Jdbi
 * runs one test contract against H2 and PostgreSQL).
 */
abstract class StoreContract {
    @TempDir
    Path dir;
    protected Store store;

    /** What {@code --db} would say for this test's database: created empty for each test. */
    protected abstract String location();

    @BeforeEach
    void open() {
        store = Store.open(location());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long newRun(String name, Objective objective) {
        return store.createRun(new NewRun(name, "name: " + name + "\n", "{\"name\":\"" + name + "\"}", "random",
                objective, 5, 42, "17.0.15", "1.0.0-M2.1", "0.1.0-SNAPSHOT"), RunStatus.RUNNING);
    }

    private Trial completed(long runId, int number, double score) {
        Trial trial = store.startTrial(runId, number, "{\"units_1\":" + number + "}", "units=" + number);
        store.recordEpoch(trial.id(), new EpochMetrics(1, 1, 0.9, 0.8, score, 1.5));
        store.completeTrial(trial.id(), score, null, 1, 1);
        return trial;
    }

    @Test
    void aRunsDataRecordIsReplacedWhenItStartsAgainAndSurvivesReopening() {
        long run = newRun("r", Objective.VAL_ACCURACY);
        assertTrue(store.runData(run).isEmpty(), "a run has no data record before it starts");
        store.saveRunData(run, "{\"type\":\"csv\",\"sha256\":\"a\"}");
        store.saveRunData(run, "{\"type\":\"csv\",\"sha256\":\"b\"}");
        store.close();
        store = Store.open(location());
        assertEquals("{\"type\":\"csv\",\"sha256\":\"b\"}", store.runData(run).orElseThrow());
    }

    @Test
    void aRunWhoseProcessStoppedIsInterruptedAndOneProcessCanTakeItOver() throws InterruptedException {
        long run = newRun("r", Objective.VAL_ACCURACY);
        Trial done = completed(run, 1, 0.8);
        Trial cut = store.startTrial(run, 2, "{}", "k2");
        store.recordEpoch(cut.id(), new EpochMetrics(1, 1, 0.5, 0.4, 0.7, 1));
        store.heartbeat(run);
        assertEquals(0, store.interruptStale(Duration.ofMinutes(1)), "a run with a recent heartbeat is alive");
        assertEquals(RunStatus.RUNNING, store.run(run).orElseThrow().status());

        Thread.sleep(200);
        // The trial's last epoch came after the run's last heartbeat: it is interrupted with its run all the same.
        store.recordEpoch(cut.id(), new EpochMetrics(1, 2, 0.5, 0.4, 0.7, 1));
        assertEquals(1, store.interruptStale(Duration.ofMillis(100)));
        Run interrupted = store.run(run).orElseThrow();
        assertEquals(RunStatus.INTERRUPTED, interrupted.status());
        assertTrue(interrupted.message().startsWith("interrupted: the process running it stopped (no heartbeat since "),
                interrupted.message());
        assertEquals(TrialState.INTERRUPTED, store.trial(run, 2).orElseThrow().state());
        assertEquals(TrialState.COMPLETED, store.trial(run, 1).orElseThrow().state());

        // Cancelled, it is left alone by workers (they take up interrupted runs) until someone resumes it.
        assertTrue(store.requestCancel(run));
        Run cancelled = store.run(run).orElseThrow();
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        assertEquals("cancelled after it was interrupted", cancelled.message());
        assertFalse(store.requestCancel(run), "once");

        assertTrue(store.resumeRun(run, RunStatus.RUNNING));
        assertFalse(store.resumeRun(run, RunStatus.RUNNING), "only one process takes a run over");
        assertNull(store.run(run).orElseThrow().finishedAt());
        assertTrue(store.restartUnfinishedTrial(done.id(), null).isEmpty(), "a completed trial is never trained again");
        Trial again = store.restartUnfinishedTrial(cut.id(), null).orElseThrow();
        assertEquals(2, again.number());
        assertEquals(TrialState.RUNNING, again.state());
        assertEquals(0, again.epochs());
        assertTrue(store.epochs(cut.id()).isEmpty(), "the cut-off attempt's epochs are gone");
        assertTrue(store.restartUnfinishedTrial(cut.id(), null).isEmpty(), "a running trial is not restarted twice");

        long finished = newRun("f", Objective.VAL_ACCURACY);
        store.finishRun(finished, RunStatus.COMPLETED, "done");
        assertFalse(store.resumeRun(finished, RunStatus.QUEUED), "a completed run is not resumed");
    }

    /** Claims a new trial of {@code run} (5 planned) for {@code worker}, which must be granted. */
    private Trial claimed(long run, long worker, String params, String key) {
        Store.Claim claim = store.claimTrial(run, worker, 5, params, key);
        return assertInstanceOf(Store.Claim.Started.class, claim, "claim of " + key).trial();
    }

    /** Records an epoch and a checkpoint after it, as a worker does: both must be accepted. */
    private void epochAndCheckpoint(Trial trial, long worker, int epoch, byte[] state) {
        assertTrue(store.recordOwnEpoch(trial.id(), worker, new EpochMetrics(1, epoch, 0.5, 0.4, 0.7 + epoch / 100.0,
                10)));
        assertTrue(store.saveCheckpoint(trial.id(), worker, new TrialCheckpoint(1, epoch, state)));
    }

    @Test
    void anInterruptedTrialKeepsItsEpochsUpToItsCheckpointAndLosesItWhenItEnds() throws InterruptedException {
        long run = newRun("cp", Objective.VAL_ACCURACY);
        long w = store.registerWorker("w", 1);
        Trial cut = claimed(run, w, "{}", "k1");
        byte[] state = new byte[3_000_000]; // a network's weights and optimiser state: megabytes
        state[0] = 1;
        state[state.length - 1] = 2;
        epochAndCheckpoint(cut, w, 1, new byte[]{9});
        epochAndCheckpoint(cut, w, 2, state);
        assertTrue(store.recordOwnEpoch(cut.id(), w, new EpochMetrics(1, 3, 0.3, 0.3, 0.76, 10)));
        TrialCheckpoint stored = store.checkpoint(cut.id()).orElseThrow();
        assertEquals(2, stored.epoch(), "each checkpoint replaces the one before");
        assertArrayEquals(state, stored.state());

        Thread.sleep(300);
        assertEquals(1, store.interruptStale(Duration.ofMillis(200)));
        assertTrue(store.resumeRun(run, RunStatus.RUNNING));
        Instant restarted = store.databaseNow();
        Trial again = store.restartUnfinishedTrial(cut.id(), w).orElseThrow();
        assertEquals(2, again.epochs(), "it continues after its checkpoint's epoch");
        assertEquals(List.of(1, 2), store.epochs(cut.id()).stream().map(EpochMetrics::epoch).toList(),
                "the epoch after the checkpoint is trained again; those before it are kept");
        assertEquals(0.72, store.epochs(cut.id()).get(1).valAccuracy());
        assertEquals(2, store.checkpoint(cut.id()).orElseThrow().epoch(), "the checkpoint survives the restart");
        long started = Duration.between(again.startedAt(), restarted).toMillis();
        assertTrue(started >= 18_500 && started <= 21_500, "its start moves back by its kept epochs' 20 s, not by the "
                + "time it lay interrupted: " + started + " ms");

        // Its worker stalls past the grace; another takes the trial over and continues from the same checkpoint.
        Thread.sleep(300);
        long live = store.registerWorker("live", 2);
        store.workerHeartbeat(live, run);
        assertEquals(0, store.interruptStale(Duration.ofMillis(200)), "the run is alive: only the trial is cut");
        assertEquals(TrialState.INTERRUPTED, store.trial(run, cut.number()).orElseThrow().state());
        Trial retried = store.claimRetry(run, live, 5).orElseThrow();
        assertEquals(2, retried.epochs());
        assertEquals(2, store.epochs(cut.id()).size());
        // The stalled worker wakes up: nothing it writes for the trial it lost is taken.
        assertFalse(store.recordOwnEpoch(cut.id(), w, new EpochMetrics(1, 3, 0.3, 0.3, 0.99, 10)));
        assertFalse(store.saveCheckpoint(cut.id(), w, new TrialCheckpoint(1, 3, new byte[]{7})));
        assertEquals(2, store.epochs(cut.id()).size(), "the lost worker's epoch was not written");
        assertArrayEquals(state, store.checkpoint(cut.id()).orElseThrow().state(), "nor its checkpoint");

        epochAndCheckpoint(retried, live, 3, state);
        assertTrue(store.completeTrial(retried, live, 0.73, null, 3, 3, () -> new byte[]{1}));
        assertTrue(store.checkpoint(cut.id()).isEmpty(), "a completed trial needs no checkpoint");
        assertFalse(store.saveCheckpoint(cut.id(), live, new TrialCheckpoint(1, 3, state)), "nor takes one");

        // Pruned, failed and discarded trials lose theirs; a cancelled one keeps it for a resume, until the run ends.
        Trial pruned = claimed(run, live, "{}", "k2");
        epochAndCheckpoint(pruned, live, 1, state);
        assertTrue(store.pruneOwnTrial(pruned.id(), live, 1, 0.5, "pruned"));
        assertTrue(store.checkpoint(pruned.id()).isEmpty());
        Trial failed = claimed(run, live, "{}", "k3");
        epochAndCheckpoint(failed, live, 1, state);
        assertTrue(store.finishOwnTrial(failed.id(), live, TrialState.FAILED, "NaN"));
        assertTrue(store.checkpoint(failed.id()).isEmpty());
        Trial discarded = claimed(run, live, "{}", "k4");
        epochAndCheckpoint(discarded, live, 1, state);
        assertFalse(store.discardOwnCheckpoint(discarded.id(), w), "another worker's trial keeps its checkpoint");
        assertTrue(store.checkpoint(discarded.id()).isPresent());
        assertTrue(store.discardOwnCheckpoint(discarded.id(), live));
        assertTrue(store.checkpoint(discarded.id()).isEmpty());
        assertTrue(store.epochs(discarded.id()).isEmpty(), "a discarded checkpoint's trial starts from scratch");
        assertTrue(Duration.between(store.trial(run, discarded.number()).orElseThrow().startedAt(),
                store.databaseNow()).toSeconds() < 5, "and its duration with it");
        assertEquals(0, store.trial(run, discarded.number()).orElseThrow().epochs());
        epochAndCheckpoint(discarded, live, 1, state);
        store.finishTrial(discarded.id(), TrialState.CANCELLED, null, "cancelled by the user");
        store.finishRun(run, RunStatus.CANCELLED, "cancelled");
        assertTrue(store.checkpoint(discarded.id()).isPresent(), "a cancelled run's trial is resumed from it");
        store.resumeRun(run, RunStatus.RUNNING);
        store.finishRun(run, RunStatus.COMPLETED, "done");
        assertTrue(store.checkpoint(discarded.id()).isEmpty(), "a completed run is never resumed");
    }

    @Test
    void aTimeBudgetStartsOnceAndAResumedRunGetsWhatItHadLeft() throws InterruptedException {
        long run = newRun("budget", Objective.VAL_ACCURACY);
        assertNull(store.run(run).orElseThrow().deadline(), "no budget until a worker starts it");
        Instant before = store.databaseNow();
        Instant deadline = store.startTimeBudget(run, Duration.ofMinutes(10));
        assertTrue(!deadline.isBefore(before.plus(Duration.ofMinutes(10)))
                && deadline.isBefore(before.plus(Duration.ofMinutes(10)).plusSeconds(5)), deadline + " vs " + before);
        assertEquals(deadline, store.startTimeBudget(run, Duration.ofMinutes(1)), "a second worker keeps the deadline");
        assertEquals(deadline, store.run(run).orElseThrow().deadline());

        Instant lastAlive = store.databaseNow();
        store.heartbeat(run);
        Thread.sleep(300);
        assertEquals(1, store.interruptStale(Duration.ofMillis(100)));
        Thread.sleep(1500); // the run lies interrupted: that time is not the run's
        assertTrue(store.resumeRun(run, RunStatus.RUNNING));
        Instant resumed = store.run(run).orElseThrow().deadline();
        Duration left = Duration.between(store.databaseNow(), resumed);
        Duration hadLeft = Duration.between(lastAlive, deadline);
        assertTrue(left.compareTo(hadLeft) <= 0 && left.compareTo(hadLeft.minusSeconds(1)) > 0,
                "left " + left + ", had " + hadLeft);
        assertTrue(resumed.isAfter(deadline.plusSeconds(1)), "the deadline moved by the time it lay interrupted");
        assertEquals(resumed, store.startTimeBudget(run, Duration.ofMinutes(10)), "resuming does not restart it");
    }

    @Test
    void runKeepsItsSpaceSeedAndProvenance() {
        long id = newRun("fashion-mlp", Objective.VAL_ACCURACY);

        Run run = store.run(id).orElseThrow();
        assertEquals("fashion-mlp", run.name());
        assertEquals("name: fashion-mlp\n", run.spaceYaml());
        assertEquals("{\"name\":\"fashion-mlp\"}", run.resolvedSpace());
        assertEquals(42, run.seed());
        assertEquals(Objective.VAL_ACCURACY, run.objective());
        assertEquals(RunStatus.RUNNING, run.status());
        assertEquals("17.0.15", run.javaVersion());
        assertEquals("1.0.0-M2.1", run.dl4jVersion());
        assertEquals("0.1.0-SNAPSHOT", run.hpsearchVersion());
        assertNotNull(run.createdAt());
        assertNull(run.finishedAt());

        store.finishRun(id, RunStatus.COMPLETED, "5 trials");
        Run done = store.run(id).orElseThrow();
        assertEquals(RunStatus.COMPLETED, done.status());
        assertEquals("5 trials", done.message());
        assertNotNull(done.finishedAt());
    }

    @Test
    void everyRecordReadsBackUnderATurkishLocale() {
        // Turkish lower-cases "I" to a dotless "ı": column names must be matched without the default locale.
        java.util.Locale locale = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
        try {
            long id = newRun("fashion-mlp", Objective.VAL_ACCURACY);
            completed(id, 1, 0.9);
            assertEquals(RunStatus.RUNNING, store.run(id).orElseThrow().status());
            assertEquals(1, store.trials(id).size());
            assertEquals(1, store.runSummaries().size());
            assertEquals(1, store.epochs(store.trials(id).get(0).id()).size());
        } finally {
            java.util.Locale.setDefault(locale);
        }
    }

    @Test
    void epochsAppearWhileTheTrialRuns() {
        long run = newRun("r", Objective.VAL_ACCURACY);
        Trial trial = store.startTrial(run, 1, "{}", "k1");
        store.recordEpoch(trial.id(), new EpochMetrics(1, 1, 0.7, 0.6, 0.80, 2.0));
        store.recordEpoch(trial.id(), new EpochMetrics(1, 2, 0.5, 0.55, 0.83, 2.1));

        Trial running = store.trial(run, 1).orElseThrow();
        assertEquals(TrialState.RUNNING, running.state());
        assertEquals(2, running.epochs());
        assertEquals(List.of(new EpochMetrics(1, 1, 0.7, 0.6, 0.80, 2.0), new EpochMetrics(1, 2, 0.5, 0.55, 0.83, 2.1)),
                store.epochs(trial.id()));
    }

    @Test
    void rankingPutsTheBestCompletedFirstInTheObjectivesDirectionAndTheRestAfter() {
        long acc = newRun("acc", Objective.VAL_ACCURACY);
        completed(acc, 1, 0.85);
        completed(acc, 2, 0.88);
        Trial failed = store.startTrial(acc, 3, "{}", "k3");
        store.finishTrial(failed.id(), TrialState.FAILED, null, "training loss became NaN in epoch 1");
        completed(acc, 4, 0.81);
        store.startTrial(acc, 5, "{}", "k5");

        assertEquals(List.of(2, 1, 4, 3, 5), numbers(store.rankedTrials(acc, 0)));
        assertEquals(List.of(2, 1), numbers(store.rankedTrials(acc, 2)));
        assertEquals(List.of(1, 4), numbers(store.rankedTrials(acc, 2, 1)), "a page from the second place on");
        assertEquals(List.of(5), numbers(store.rankedTrials(acc, 10, 4)));
        assertEquals("training loss became NaN in epoch 1", store.trial(acc, 3).orElseThrow().failureReason());

        long loss = newRun("loss", Objective.VAL_LOSS);
        completed(loss, 1, 0.40);
        completed(loss, 2, 0.30);
        completed(loss, 3, 0.35);
        assertEquals(List.of(2, 3, 1), numbers(store.rankedTrials(loss, 0)));
    }

    @Test
    void aRunNeverHoldsTwoTrialsWithOneNumberOrOneNetwork() {
        long run = newRun("r", Objective.VAL_ACCURACY);
        store.startTrial(run, 1, "{}", "same");

        StoreException number = assertThrows(StoreException.class, () -> store.startTrial(run, 1, "{}", "other"));
        assertTrue(number.getMessage().startsWith("run " + run + " already has trial 1"), number.getMessage());
        assertThrows(StoreException.class, () -> store.startTrial(run, 2, "{}", "same"));
        assertEquals(1, store.trials(run).size());

        long other = newRun("other", Objective.VAL_ACCURACY);
        store.startTrial(other, 1, "{}", "same");
        assertEquals(1, store.trials(other).size());
    }

    @Test
    void cancellingStopsOnlyRunningTrialsAndKeepsCompletedOnes() {
        long run = newRun("r", Objective.VAL_ACCURACY);
        completed(run, 1, 0.9);
        store.startTrial(run, 2, "{}", "k2");
        store.startTrial(run, 3, "{}", "k3");

        assertEquals(2, store.cancelRunningTrials(run));

        List<Trial> trials = store.trials(run);
        assertEquals(List.of(TrialState.COMPLETED, TrialState.CANCELLED, TrialState.CANCELLED),
                trials.stream().map(Trial::state).toList());
        assertEquals(0.9, trials.get(0).score());
        assertNotNull(trials.get(1).finishedAt());
    }

    @Test
    void summariesCountTrialsAndShowTheBestNewestFirst() {
        long first = newRun("first", Objective.VAL_ACCURACY);
        completed(first, 1, 0.80);
        completed(first, 2, 0.86);
        Trial failed = store.startTrial(first, 3, "{}", "k3");
        store.finishTrial(failed.id(), TrialState.FAILED, null, "boom");
        long second = newRun("second", Objective.VAL_LOSS);
        completed(second, 1, 0.5);
        completed(second, 2, 0.4);
        store.startTrial(second, 3, "{}", "k3");

        List<RunSummary> summaries = store.runSummaries();

        assertEquals(List.of("second", "first"), summaries.stream().map(s -> s.run().name()).toList());
        RunSummary s = summaries.get(0);
        assertEquals(List.of(2, 0, 0, 1, 3), List.of(s.completed(), s.failed(), s.cancelled(), s.running(), s.total()));
        assertEquals(0.4, s.bestScore());
        RunSummary f = summaries.get(1);
        assertEquals(List.of(2, 1, 3), List.of(f.completed(), f.failed(), f.total()));
        assertEquals(0.86, f.bestScore());
        assertNull(f.testAccuracy());
    }

    @Test
    void testEvaluationRoundTripsAndIsReplacedNotDuplicated() {
        long run = newRun("r", Objective.VAL_ACCURACY);
        completed(run, 1, 0.9);
        List<ClassMetrics> classes = List.of(new ClassMetrics(0, "T-shirt/top", 0.8, 0.9, 0.85, 100),
                new ClassMetrics(1, "Trouser", 1.0, 0.95, 0.97, 100));
        int[][] confusion = {{90, 10}, {5, 95}};
        store.saveTestEvaluation(new TestEvaluation(run, 1, "/models/run-1/trial-1.zip", 0.925, 0.91, classes,
                confusion));

        TestEvaluation read = store.testEvaluation(run).orElseThrow();
        assertEquals(1, read.trialNumber());
        assertEquals("/models/run-1/trial-1.zip", read.modelPath());
        assertEquals(0.925, read.accuracy());
        assertEquals(classes, read.classes());
        assertArrayEquals(confusion, read.confusion());
        assertEquals(0.925, store.runSummaries().get(0).testAccuracy());

        store.saveTestEvaluation(new TestEvaluation(run, 1, "/models/run-1/trial-1.zip", 0.93, 0.92,
                classes.subList(0, 1), new int[][]{{1}}));
        assertEquals(1, store.testEvaluation(run).orElseThrow().classes().size());
        assertEquals(0.93, store.testEvaluation(run).orElseThrow().accuracy());
    }

    @Test
    void everythingIsStillThereAfterReopening() {
        long run = newRun("kept", Objective.VAL_ACCURACY);
        completed(run, 1, 0.87);
        store.close();

        store = Store.open(location());

        assertEquals("kept", store.run(run).orElseThrow().name());
        assertEquals(0.87, store.rankedTrials(run, 1).get(0).score());
    }

    @Test
    void twoStoresOnOneFileSeeEachOthersWrites() {
        try (Store second = Store.open(location())) {
            long run = newRun("shared", Objective.VAL_ACCURACY);
            completed(run, 1, 0.8);

            assertEquals("shared", second.run(run).orElseThrow().name());
            Trial trial = second.startTrial(run, 2, "{}", "k2");
            second.finishTrial(trial.id(), TrialState.COMPLETED, 0.9, null);
            assertEquals(List.of(2, 1), numbers(store.rankedTrials(run, 0)));
        }
    }

    @Test
    void cancellingAQueuedRunEndsItAtOnceAndARunningOneIsAskedToStop() {
        long queued = store.createRun(new NewRun("queued", "name: q\n", "{}", "random", Objective.VAL_ACCURACY, 5, 1,
                "17", "M2.1", "0.1"), RunStatus.QUEUED);
        long running = newRun("running", Objective.VAL_ACCURACY);

        assertTrue(store.requestCancel(queued));
        Run cancelled = store.run(queued).orElseThrow();
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        assertEquals("cancelled while it waited in the queue", cancelled.message());
        assertFalse(store.startRun(queued), "a cancelled run never starts");

        assertFalse(store.cancelRequested(running));
        assertTrue(store.requestCancel(running));
        assertTrue(store.cancelRequested(running));
        assertEquals(RunStatus.RUNNING, store.run(running).orElseThrow().status(), "its process ends it");

        store.finishRun(running, RunStatus.CANCELLED, "stopped");
        assertFalse(store.requestCancel(running), "a finished run cannot be cancelled");
        assertFalse(store.requestCancel(999));
    }

    @Test
    void aQueuedRunStartsOnce() {
        long queued = store.createRun(new NewRun("queued", "name: q\n", "{}", "random", Objective.VAL_ACCURACY, 5, 1,
                "17", "M2.1", "0.1"), RunStatus.QUEUED);
        assertEquals(RunStatus.QUEUED, store.runSummary(queued).orElseThrow().run().status());

        assertTrue(store.startRun(queued));
        assertFalse(store.startRun(queued));
        assertEquals(RunStatus.RUNNING, store.run(queued).orElseThrow().status());
    }

    @Test
    void everyExecutionKeepsItsOwnCurveAndTheTrialItsMeanSpreadAndEarlyStop() {
        long run = newRun("r", Objective.VAL_ACCURACY);
        Trial trial = store.startTrial(run, 1, "{}", "k1");
        for (int execution = 1; execution <= 2; execution++) {
            for (int epoch = 1; epoch <= 3; epoch++) {
                store.recordEpoch(trial.id(), new EpochMetrics(execution, epoch, 0.5, 0.4, 0.8 + execution / 100.0, 1));
            }
        }
        store.completeTrial(trial.id(), 0.815, 0.007, 2, 3);

        Trial done = store.trial(run, 1).orElseThrow();
        assertEquals(0.815, done.score());
        assertEquals(0.007, done.scoreStd());
        assertEquals(2, done.bestEpoch());
        assertEquals(3, done.stoppedEpoch());
        assertEquals(3, done.epochs());
        List<EpochMetrics> epochs = store.epochs(trial.id());
        assertEquals(6, epochs.size());
        assertEquals(List.of(1, 1, 1, 2, 2, 2), epochs.stream().map(EpochMetrics::execution).toList());
    }

    @Test
    void unknownRunIsEmpty() {
        assertTrue(store.run(999).isEmpty());
        assertTrue(store.trials(999).isEmpty());
        assertTrue(store.testEvaluation(999).isEmpty());
    }

    @Test
    void workersOnTwoConnectionsGetDistinctNumbersAndNeverMoreThanThePlan() throws Exception {
        long run = newRun("claims", Objective.VAL_ACCURACY);
        int planned = 40;
        try (Store other = Store.open(location())) {
            long a = store.registerWorker("host-a", 1);
            long b = other.registerWorker("host-b", 2);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<Integer>>> claimers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    Store s = t % 2 == 0 ? store : other;
                    long worker = t % 2 == 0 ? a : b;
                    int thread = t;
                    claimers.add(pool.submit(() -> {
                        List<Integer> got = new ArrayList<>();
                        for (int i = 0; ; i++) {
                            Store.Claim claim = s.claimTrial(run, worker, planned, "{}", "t" + thread + "-" + i);
                            if (claim instanceof Store.Claim.Full) {
                                return got;
                            }
                            got.add(((Store.Claim.Started) claim).trial().number());
                        }
                    }));
                }
                List<Integer> all = new ArrayList<>();
                for (Future<List<Integer>> f : claimers) {
                    all.addAll(f.get());
                }
                Collections.sort(all);
                assertEquals(IntStream.rangeClosed(1, planned).boxed().toList(), all, "numbers 1..40, each once");
            } finally {
                pool.shutdown();
            }
            assertEquals(planned, store.trials(run).size());
            assertTrue(store.trials(run).stream().allMatch(t -> t.host() != null && t.pid() != null));
        }
    }

    @Test
    void aNetworkTheRunHasIsADuplicateClaim() {
        long run = newRun("dup", Objective.VAL_ACCURACY);
        long w = store.registerWorker("h", 7);
        assertInstanceOf(Store.Claim.Started.class, store.claimTrial(run, w, 5, "{\"u\":1}", "u=1"));
        assertInstanceOf(Store.Claim.Duplicate.class, store.claimTrial(run, w, 5, "{\"u\":1}", "u=1"));
        Trial second = claimed(run, w, "{\"u\":2}", "u=2");
        assertEquals(2, second.number());
        assertEquals("h", second.host());
        assertEquals(7L, second.pid());
    }

    @Test
    void aDeadWorkersTrialIsRetriedOnceByAnotherAndOnlyTheOwnerCompletesIt() throws InterruptedException {
        long run = newRun("retry", Objective.VAL_ACCURACY);
        long dead = store.registerWorker("dead", 1);
        long live = store.registerWorker("live", 2);
        Trial cut = claimed(run, dead, "{}", "k1");
        store.recordEpoch(cut.id(), new EpochMetrics(1, 1, 0.5, 0.4, 0.7, 1));
        assertTrue(store.claimRetry(run, live, 1).isEmpty(), "a running trial is not taken over");

        Thread.sleep(300);
        store.workerHeartbeat(live, run); // the run is alive: only the dead worker's trial is interrupted
        assertEquals(0, store.interruptStale(Duration.ofMillis(200)));
        assertEquals(RunStatus.RUNNING, store.run(run).orElseThrow().status());
        assertEquals(TrialState.INTERRUPTED, store.trial(run, 1).orElseThrow().state());
        assertFalse(store.claimFinish(run, live, 1), "a trial waits for its retry");

        Trial again = store.claimRetry(run, live, 1).orElseThrow();
        assertEquals(1, again.number());
        assertEquals(1, again.retries());
        assertEquals("live", again.host());
        assertTrue(store.epochs(cut.id()).isEmpty(), "the cut-off attempt's epochs are gone");
        assertTrue(store.claimRetry(run, dead, 1).isEmpty(), "taken once");
        assertFalse(store.completeTrial(cut, dead, 0.9, null, 1, 1, () -> new byte[]{1}),
                "the dead worker, come back, no longer owns the trial");
        assertFalse(store.pruneOwnTrial(cut.id(), dead, 1, 0.7, "pruned"), "nor prunes it");
        assertFalse(store.finishOwnTrial(cut.id(), dead, TrialState.FAILED, "failed"), "nor fails it");
        assertFalse(store.finishOwnTrial(cut.id(), dead, TrialState.CANCELLED, "cancelled"), "nor cancels it");
        assertEquals(TrialState.RUNNING, store.trial(run, 1).orElseThrow().state());
        assertNull(store.trial(run, 1).orElseThrow().failureReason());
        assertTrue(store.completeTrial(again, live, 0.8, null, 1, 1, () -> new byte[]{2}));
        assertEquals(0.8, store.trial(run, 1).orElseThrow().score());
        assertArrayEquals(new byte[]{2}, store.model(run).orElseThrow().zip());

        assertTrue(store.claimFinish(run, live, 1));
        assertFalse(store.claimFinish(run, dead, 1), "one worker finishes a run");
    }

    @Test
    void aWorkerPrunesFailsAndCancelsItsOwnTrialsOnly() {
        long run = newRun("own", Objective.VAL_ACCURACY);
        long w = store.registerWorker("w", 1);
        long other = store.registerWorker("other", 2);
        Trial pruned = claimed(run, w, "{}", "k1");
        Trial failed = claimed(run, w, "{\"a\":1}", "k2");
        Trial cancelled = claimed(run, w, "{\"a\":2}", "k3");
        epochAndCheckpoint(cancelled, w, 1, new byte[]{9});

        assertFalse(store.pruneOwnTrial(pruned.id(), other, 1, 0.7, "pruned"), "another worker's trial");
        assertTrue(store.pruneOwnTrial(pruned.id(), w, 1, 0.7, "pruned after epoch 1"));
        assertFalse(store.pruneOwnTrial(pruned.id(), w, 1, 0.7, "pruned"), "an ended trial is not ended again");
        assertFalse(store.finishOwnTrial(failed.id(), other, TrialState.FAILED, "failed"), "another worker's trial");
        assertTrue(store.finishOwnTrial(failed.id(), w, TrialState.FAILED, "out of memory"));
        assertTrue(store.finishOwnTrial(cancelled.id(), w, TrialState.CANCELLED, "cancelled by the user"));

        Trial p = store.trial(run, pruned.number()).orElseThrow();
        assertEquals(TrialState.PRUNED, p.state());
        assertEquals(0.7, p.score());
        assertEquals("pruned after epoch 1", p.failureReason());
        Trial f = store.trial(run, failed.number()).orElseThrow();
        assertEquals(TrialState.FAILED, f.state());
        assertEquals("out of memory", f.failureReason());
        assertEquals(TrialState.CANCELLED, store.trial(run, cancelled.number()).orElseThrow().state());
        assertTrue(store.checkpoint(cancelled.id()).isPresent(), "a cancelled trial keeps its checkpoint");
    }

    @Test
    void aWorkerLateForItsHeartbeatStillEndsItsTrialWhileNoOtherHasTakenItOver() throws InterruptedException {
        long run = newRun("late", Objective.VAL_ACCURACY);
        long late = store.registerWorker("late", 1);
        long live = store.registerWorker("live", 2);
        Trial pruned = claimed(run, late, "{}", "k1");
        Trial failed = claimed(run, late, "{\"a\":1}", "k2");
        Thread.sleep(300);
        store.workerHeartbeat(live, run);
        store.interruptStale(Duration.ofMillis(200));
        assertEquals(TrialState.INTERRUPTED, store.trial(run, pruned.number()).orElseThrow().state());

        assertTrue(store.claimRetry(run, late, 5).isEmpty(), "a worker does not take over a trial it holds: its own "
                + "thread may still be training it");
        assertEquals(TrialState.INTERRUPTED, store.trial(run, failed.number()).orElseThrow().state());
        assertFalse(store.pruneOwnTrial(pruned.id(), live, 1, 0.6, "pruned"), "not the other worker's to end");
        assertTrue(store.pruneOwnTrial(pruned.id(), late, 1, 0.6, "pruned after epoch 1"));
        assertTrue(store.finishOwnTrial(failed.id(), late, TrialState.FAILED, "out of memory"));
        assertEquals(TrialState.PRUNED, store.trial(run, pruned.number()).orElseThrow().state());
        assertEquals(TrialState.FAILED, store.trial(run, failed.number()).orElseThrow().state());
        assertTrue(store.claimRetry(run, live, 5).isEmpty(), "an ended trial is not retried");
    }

    @Test
    void trialsFinishInTheOrderTheDatabasesClockSawAndCountEveryTrialsEpochsTrainedByThen() throws Exception {
        long run = newRun("finishes", Objective.VAL_ACCURACY);
        // Two workers: trial 1 trains three epochs while trials 2 and 3, beside it, train one each and are pruned.
        Trial one = store.startTrial(run, 1, "{\"units_1\":1}", "units=1");
        Trial two = store.startTrial(run, 2, "{\"units_1\":2}", "units=2");
        epoch(one, 1);
        epoch(two, 1);
        store.pruneTrial(two.id(), 1, 0.5, "pruned");
        Thread.sleep(5);
        epoch(one, 2);
        Trial three = store.startTrial(run, 3, "{\"units_1\":3}", "units=3");
        epoch(three, 1);
        store.pruneTrial(three.id(), 1, 0.5, "pruned");
        Thread.sleep(5);
        Trial four = store.startTrial(run, 4, "{\"units_1\":4}", "units=4");
        epoch(four, 1); // still running when trial 1 completes: not listed, but its epoch was trained by then
        epoch(one, 3);
        store.completeTrial(one.id(), 0.8, null, 3, 3);
        List<Store.Finish> finishes = store.finishes(run, store.trials(run));
        assertEquals(List.of(2, 3, 1), finishes.stream().map(f -> f.trial().number()).toList());
        // Counted by trial number, as before, trial 1 would sit at 3 epochs and trial 2 at 4.
        assertEquals(List.of(2L, 4L, 6L), finishes.stream().map(Store.Finish::epochs).toList());
    }

    private void epoch(Trial trial, int epoch) throws InterruptedException {
        store.recordEpoch(trial.id(), new EpochMetrics(1, epoch, 0.9, 0.8, 0.5, 1.0));
        Thread.sleep(5); // distinct times on the database's clock
    }

    @Test
    void learningCurvesCarryEachEpochsObjectiveAndDurationForTheFirstExecutionOnly() {
        long run = newRun("curves", Objective.VAL_ACCURACY);
        long w = store.registerWorker("w", 1);
        Trial a = claimed(run, w, "{}", "a");
        Trial b = claimed(run, w, "{\"b\":1}", "b");
        store.recordEpoch(a.id(), new EpochMetrics(1, 1, 0.9, 0.6, 0.70, 10.0));
        store.recordEpoch(a.id(), new EpochMetrics(1, 2, 0.7, 0.5, 0.75, 12.5));
        store.recordEpoch(a.id(), new EpochMetrics(2, 1, 0.8, 0.4, 0.99, 99.0));
        Map<Long, LearningCurve> accuracy = store.learningCurves(run, Objective.VAL_ACCURACY);
        assertArrayEquals(new double[]{0.70, 0.75}, accuracy.get(a.id()).values());
        assertArrayEquals(new double[]{10.0, 12.5}, accuracy.get(a.id()).seconds());
        assertArrayEquals(new double[]{0.6, 0.5}, store.learningCurves(run, Objective.VAL_LOSS).get(a.id()).values());
        assertFalse(accuracy.containsKey(b.id()), "a trial without epochs has no curve");
        // The runner builds a running trial's curve from its epochs in memory: the same curve the store reads back.
        assertEquals(LearningCurve.of(List.of(new EpochMetrics(1, 1, 0.9, 0.6, 0.70, 10.0),
                new EpochMetrics(1, 2, 0.7, 0.5, 0.75, 12.5)), Objective.VAL_ACCURACY), accuracy.get(a.id()));
    }

    @Test
    void aTrialInterruptedMoreOftenThanMaxRetriesFailsSoTheRunCanFinish() throws InterruptedException {
        long run = newRun("twice", Objective.VAL_ACCURACY);
        long w = store.registerWorker("w", 1);
        store.claimTrial(run, w, 5, "{}", "k1");
        Thread.sleep(300);
        store.interruptStale(Duration.ofMillis(200));
        store.resumeRun(run, RunStatus.RUNNING);
        // Each resume is a new process, a new worker (a worker never takes over a trial it holds itself).
        Trial retried = store.claimRetry(run, store.registerWorker("w2", 2), 1).orElseThrow();
        Thread.sleep(300);
        store.interruptStale(Duration.ofMillis(200));
        store.resumeRun(run, RunStatus.RUNNING);
        long third = store.registerWorker("w3", 3);
        assertTrue(store.claimRetry(run, third, 1).isEmpty(), "max_retries 1: one retry");
        assertEquals(1, store.failUnretried(run, 1));
        Trial failed = store.trial(run, retried.number()).orElseThrow();
        assertEquals(TrialState.FAILED, failed.state());
        assertTrue(failed.failureReason().contains("max_retries: 1"), failed.failureReason());
        assertTrue(store.claimFinish(run, third, 1));
    }

    @Test
    void theModelIsReplacedOnlyByABetterTrialInTheRunsDirection() {
        long loss = newRun("loss", Objective.VAL_LOSS);
        long w = store.registerWorker("w", 1);
        Trial first = claimed(loss, w, "{}", "a");
        Trial worse = claimed(loss, w, "{}", "b");
        Trial better = claimed(loss, w, "{}", "c");
        int[] asked = new int[1];
        store.completeTrial(first, w, 0.5, null, 1, 1, () -> new byte[]{(byte) ++asked[0]});
        store.completeTrial(worse, w, 0.6, null, 1, 1, () -> new byte[]{(byte) ++asked[0]});
        assertEquals(1, asked[0], "a worse trial's network is never even serialised");
        store.completeTrial(better, w, 0.3, null, 1, 1, () -> new byte[]{(byte) ++asked[0]});
        StoredModel model = store.model(loss).orElseThrow();
        assertEquals(3, model.trialNumber());
        assertEquals(0.3, model.score());
        assertArrayEquals(new byte[]{2}, model.zip());
    }

    @Test
    void theWorkersPanelCountsEachWorkersTrialsByTheDatabasesClock() {
        long run = newRun("panel", Objective.VAL_ACCURACY);
        long a = store.registerWorker("alpha", 11);
        long b = store.registerWorker("beta", 22);
        Trial t1 = claimed(run, a, "{}", "1");
        store.completeTrial(t1, a, 0.5, null, 1, 1, () -> new byte[]{1});
        store.claimTrial(run, b, 5, "{}", "2");
        store.workerHeartbeat(b, run);
        List<Worker> workers = store.workers(run);
        assertEquals(List.of("alpha", "beta"), workers.stream().map(Worker::host).toList());
        assertEquals(1, workers.get(0).trialsDone());
        assertNull(workers.get(0).currentTrial());
        assertEquals(2, workers.get(1).currentTrial());
        assertTrue(workers.get(1).secondsSinceHeartbeat() < 5, "by the database's clock");
        assertTrue(Duration.between(store.databaseNow(), java.time.Instant.now()).abs().toMinutes() < 5);
    }

    private static List<Integer> numbers(List<Trial> trials) {
        return trials.stream().map(Trial::number).toList();
    }
}
