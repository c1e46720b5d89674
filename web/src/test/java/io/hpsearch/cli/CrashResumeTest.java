package io.hpsearch.cli;

import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.testing.HpsearchProcess;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real `hpsearch run` killed with SIGKILL again and again (during training, right after an epoch is written, during
 * the final test evaluation) and resumed each time: nothing it had finished is lost or changed, and the run ends
 * with exactly its planned trials.
 */
class CrashResumeTest {
    private static final int KILLS = 10;
    /** Grid: 2 learning rates x (4 one-layer + 16 two-layer networks), enough work for 10 kills on a fast CPU. */
    private static final int PLANNED = 40;
    private static final String GRACE = "2";

    @TempDir
    Path dir;

    @Test
    void aRunKilledAtRandomMomentsAndResumedEachTimeLosesNothing() throws Exception {
        Path space = Files.writeString(dir.resolve("crash.yaml"), """
                name: crash
                search: grid
                max_trials: 100
                seed: 3
                training: {epochs: 3, batch_size: 64, train_limit: 2000}
                model:
                  type: mlp
                  hidden_layers: {choice: [1, 2]}
                  units: {choice: [64, 48, 32, 16]}
                  learning_rate: {choice: [0.01, 0.001]}
                """);
        Path db = dir.resolve("hpsearch");
        String[] common = {"--data", TestPaths.DATA.toString(), "--db", db.toString(), "--workers", "1",
                "--heartbeat-grace", GRACE};
        Random random = new Random(20261123);
        Map<Integer, Trial> finished = new HashMap<>();
        int kills = 0;
        boolean killedInTestEvaluation = false;
        boolean completedAsKilled = false;
        StringBuilder log = new StringBuilder();

        HpsearchProcess process = start(concat(new String[]{"run", space.toString()}, common));
        try {
            while (kills < KILLS || !killedInTestEvaluation) {
                String when = killMoment(process, kills, killedInTestEvaluation, random);
                if (when == null) {
                    fail("the run ended by itself after " + kills + " kill(s)" + (killedInTestEvaluation ? ""
                            : ", none during the test evaluation") + "; it needs more work to kill:\n" + log
                            + process.output());
                }
                process.kill();
                kills++;
                killedInTestEvaluation |= when.equals("test evaluation");
                log.append("kill ").append(kills).append(": ").append(when);
                RunStatus status = checkNothingLost(db, finished);
                checkReportedTrialsStored(db, process.output());
                log.append("; trials by state: ").append(states(db)).append('\n');
                if (status == RunStatus.COMPLETED) {
                    // The kill came a moment too late: the evaluation had finished. Nothing left to resume.
                    log.append("(the run had just completed)\n");
                    completedAsKilled = true;
                    break;
                }
                // The dead process's heartbeat must age past the grace period before its run counts as interrupted.
                Thread.sleep(Duration.ofSeconds(Long.parseLong(GRACE)).plusMillis(300).toMillis());
                process.close();
                process = start(concat(new String[]{"resume", "1"}, common));
            }
            if (!completedAsKilled) {
                assertEquals(0, process.awaitExit(), log + process.output());
            }
        } finally {
            process.close();
        }

        checkNothingLost(db, finished);
        try (Store store = Store.open(db)) {
            assertEquals(RunStatus.COMPLETED, store.run(1).orElseThrow().status(), log.toString());
            List<Trial> trials = store.trials(1);
            assertEquals(IntStream.rangeClosed(1, PLANNED).boxed().toList(),
                    trials.stream().map(Trial::number).toList(), "every trial number once, none skipped");
            assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETED), trials.toString());
            assertEquals(PLANNED, trials.stream().map(Trial::paramsKey).distinct().count(), "no network twice");
            for (Trial t : trials) {
                assertEquals(3, store.epochs(t.id()).size(), "trial " + t.number() + " has each epoch once");
            }
            TestEvaluation test = store.testEvaluation(1).orElseThrow();
            assertEquals(store.rankedTrials(1, 1).get(0).number(), test.trialNumber());
            assertEquals(test.trialNumber(), store.model(1).orElseThrow().trialNumber(),
                    "the evaluated network is the one the store keeps as the run's model");
        }
        System.out.println("CrashResumeTest: the run survived " + kills + " SIGKILLs:\n" + log);
    }

    @Test
    void aResumedRandomSearchDrawsTheSameNetworksAsOneThatWasNeverKilled() throws Exception {
        Path space = Files.writeString(dir.resolve("random.yaml"), """
                name: random
                search: random
                max_trials: 8
                seed: 11
                training: {epochs: 2, batch_size: 64, train_limit: 500}
                model:
                  type: mlp
                  hidden_layers: {min: 1, max: 3}
                  units: {choice: [64, 32, 16, 8]}
                  learning_rate: {choice: [0.01, 0.001]}
                """);
        Path whole = dir.resolve("whole/hpsearch");
        assertEquals(0, Main.execute(new String[]{"run", space.toString(), "--data", TestPaths.DATA.toString(),
                "--db", whole.toString(), "--workers", "1"}, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())));

        Path killed = dir.resolve("killed/hpsearch");
        String[] common = {"--data", TestPaths.DATA.toString(), "--db", killed.toString(), "--workers", "1",
                "--heartbeat-grace", GRACE};
        try (HpsearchProcess run = start(concat(new String[]{"run", space.toString()}, common))) {
            assertTrue(run.awaitLine(line -> line.startsWith("trial 4 started")) != null, run.output());
            run.kill();
        }
        Thread.sleep(Duration.ofSeconds(Long.parseLong(GRACE)).plusMillis(300).toMillis());
        StringWriter runs = new StringWriter();
        // Under a Turkish locale too: "INTERRUPTED".toLowerCase() there is "ınterrupted", which a script's grep misses.
        java.util.Locale locale = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
        try {
            assertEquals(0, Main.execute(new String[]{"runs", "--db", killed.toString(), "--heartbeat-grace", GRACE},
                    new PrintWriter(runs), new PrintWriter(new StringWriter())));
        } finally {
            java.util.Locale.setDefault(locale);
        }
        assertTrue(runs.toString().contains(" interrupted "), runs.toString());
        assertTrue(runs.toString().contains("An interrupted run goes on where it stopped with: ./hpsearch resume 1"),
                runs.toString());
        try (HpsearchProcess resume = start(concat(new String[]{"resume", "1"}, common))) {
            assertEquals(0, resume.awaitExit(), resume.output());
        }

        try (Store a = Store.open(whole); Store b = Store.open(killed)) {
            Map<Integer, String> expected = a.trials(1).stream().collect(Collectors.toMap(Trial::number,
                    Trial::paramsKey));
            Map<Integer, String> actual = b.trials(1).stream().collect(Collectors.toMap(Trial::number,
                    Trial::paramsKey));
            assertEquals(8, actual.size());
            assertEquals(expected, actual, "trial by trial, the same networks as the run that was never killed");
            assertEquals(RunStatus.COMPLETED, b.run(1).orElseThrow().status());
        }
    }

    /** One trial without dropout, 10 epochs: a run to kill after an epoch. See the checkpoint tests below. */
    private Path checkpointedSpace() throws Exception {
        return Files.writeString(dir.resolve("checkpoint.yaml"), """
                name: checkpoint
                search: random
                max_trials: 1
                seed: 5
                training: {epochs: 10, batch_size: 64, train_limit: 1500, checkpoint_minutes: 0}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: 64
                  dropout: 0.0
                  learning_rate: 0.003
                  learning_rate_schedule: cosine
                """);
    }

    /** Runs the space in a process killed right after it reported epoch 2; the database's epochs at the kill. */
    private List<EpochMetrics> runKilledAfterEpoch2(Path space, String[] common) throws Exception {
        try (HpsearchProcess run = start(concat(new String[]{"run", space.toString()}, common))) {
            assertTrue(run.awaitLine(line -> line.startsWith("trial 1 epoch 2/10")) != null, run.output());
            run.kill();
        }
        Path db = Path.of(common[1]);
        try (Store store = Store.open(db)) {
            return store.epochs(store.trial(1, 1).orElseThrow().id());
        }
    }

    private String resume(String[] common) throws Exception {
        Thread.sleep(Duration.ofSeconds(Long.parseLong(GRACE)).plusMillis(300).toMillis());
        try (HpsearchProcess resume = start(concat(new String[]{"resume", "1"}, common))) {
            assertEquals(0, resume.awaitExit(), resume.output());
            return resume.output();
        }
    }

    @Test
    void aTrialKilledAfterItsCheckpointContinuesFromItAndEndsAsIfNeverKilled() throws Exception {
        // No dropout (its masks are not part of a checkpoint) and one thread: the continued trial must match, to the
        // last bit, the same trial never killed. A cosine schedule: its step is kept too.
        Path space = checkpointedSpace();
        // Both in processes of their own: this JVM's native settings gave other rounding than a fresh process's.
        Path whole = dir.resolve("whole/hpsearch");
        String[] threads = {"--data", TestPaths.DATA.toString(), "--workers", "1", "--threads", "1"};
        try (HpsearchProcess run = start(concat(new String[]{"run", space.toString(), "--db", whole.toString()},
                threads))) {
            assertEquals(0, run.awaitExit(), run.output());
        }
        Path killed = dir.resolve("killed/hpsearch");
        String[] common = concat(new String[]{"--db", killed.toString(), "--heartbeat-grace", GRACE}, threads);
        List<EpochMetrics> beforeResume = runKilledAfterEpoch2(space, common);

        String output = resume(common);

        Matcher continued = Pattern.compile("trial 1 continues from its checkpoint after epoch (\\d+)").matcher(output);
        assertTrue(continued.find(), output);
        int from = Integer.parseInt(continued.group(1));
        // Epoch 2's checkpoint is written just after its line is printed: the kill may come first.
        assertTrue(from >= 1 && from < 10, "the last checkpoint stored before the kill: " + from);
        assertTrue(output.contains("trial 1 epoch " + (from + 1) + "/10") && !output.contains("trial 1 epoch 1/10"),
                "only the epochs after the checkpoint are trained again:\n" + output);
        try (Store a = Store.open(whole); Store b = Store.open(killed)) {
            Trial never = a.trial(1, 1).orElseThrow();
            Trial resumed = b.trial(1, 1).orElseThrow();
            assertEquals(TrialState.COMPLETED, resumed.state());
            List<EpochMetrics> epochs = b.epochs(resumed.id());
            assertEquals(beforeResume.subList(0, from), epochs.subList(0, from),
                    "the epochs up to the checkpoint are the killed process's own, not trained again");
            assertEquals(measured(a.epochs(never.id())), measured(epochs),
                    "every epoch as the trial never killed trained it");
            assertEquals(never.score(), resumed.score());
            assertEquals(a.testEvaluation(1).orElseThrow().accuracy(), b.testEvaluation(1).orElseThrow().accuracy());
            assertTrue(b.checkpoint(resumed.id()).isEmpty(), "the completed trial's checkpoint is gone");
        }
    }

    @Test
    void aTrialWhoseCheckpointIsDamagedTrainsAgainFromScratchAndSaysSo() throws Exception {
        Path space = checkpointedSpace();
        Path db = dir.resolve("damaged/hpsearch");
        String[] common = {"--db", db.toString(), "--heartbeat-grace", GRACE, "--data", TestPaths.DATA.toString(),
                "--workers", "1", "--threads", "1"};
        runKilledAfterEpoch2(space, common);
        // Damaged on disk (or written by a layout this hpsearch does not read): the same to the reader.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + ";AUTO_SERVER=TRUE", "sa", "");
             Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE trial_checkpoints SET state = X'0102030405'"));
        }

        String output = resume(common);

        assertTrue(output.contains("trial 1 trains again from scratch: its checkpoint cannot continue it (it is not "
                + "an hpsearch training checkpoint)"), output);
        assertTrue(output.contains("trial 1 epoch 1/10"), output);
        try (Store store = Store.open(db)) {
            Trial trial = store.trial(1, 1).orElseThrow();
            assertEquals(TrialState.COMPLETED, trial.state());
            assertEquals(IntStream.rangeClosed(1, 10).boxed().toList(),
                    store.epochs(trial.id()).stream().map(EpochMetrics::epoch).toList(), "each epoch once");
        }
    }

    /** An epoch's metrics without its duration, which differs between two trainings of the same network. */
    private static List<List<Double>> measured(List<EpochMetrics> epochs) {
        return epochs.stream().map(m -> List.of((double) m.epoch(), m.trainLoss(), m.valLoss(), m.valAccuracy()))
                .toList();
    }

    /**
     * Reads the process's output until it is time to kill it, and says which moment that is; null if the process
     * ended first. Kills come at a random moment of training, right after an epoch was written (every third), and
     * once when the final test evaluation starts; after {@link #KILLS} kills, only that last one is left.
     */
    private static String killMoment(HpsearchProcess process, int kills, boolean testKilled, Random random)
            throws InterruptedException {
        if (process.awaitLine(line -> line.startsWith("Run 1 ")) == null) {
            return null;
        }
        boolean afterEpoch = kills % 3 == 2;
        long deadline = System.nanoTime() + Duration.ofMillis(500 + random.nextInt(3000)).toNanos();
        while (true) {
            boolean timed = kills < KILLS && !afterEpoch;
            Duration wait = timed ? Duration.ofNanos(Math.max(1, deadline - System.nanoTime())) : Duration.ofMinutes(2);
            Optional<String> line = process.nextLine(wait);
            if (line.isEmpty()) {
                if (process.ended()) {
                    return null;
                }
                if (timed) {
                    return "training, " + Duration.ofNanos(System.nanoTime() - deadline).toMillis()
                            + " ms after the deadline";
                }
                continue;
            }
            if (!testKilled && line.get().startsWith("Evaluating the best network")) {
                return "test evaluation";
            }
            if (kills < KILLS && afterEpoch && line.get().matches("trial \\d+ epoch \\d+/3: .*")) {
                return "right after an epoch was written (" + line.get().substring(0, line.get().indexOf(':')) + ")";
            }
        }
    }

    /**
     * Every trial finished before is still there, unchanged; the database opens after the crash. Returns the run's
     * status.
     */
    private static RunStatus checkNothingLost(Path db, Map<Integer, Trial> finished) {
        try (Store store = Store.open(db)) {
            List<Trial> trials = store.trials(1);
            Map<Integer, Trial> now = trials.stream().collect(Collectors.toMap(Trial::number, t -> t));
            assertEquals(trials.size(), now.size(), "trial numbers are unique");
            assertEquals(trials.size(), trials.stream().map(Trial::paramsKey).distinct().count(),
                    "no network is trained twice");
            finished.forEach((number, before) -> {
                Trial after = now.get(number);
                assertTrue(after != null, "trial " + number + " was lost");
                assertEquals(before.state(), after.state(), "trial " + number);
                assertEquals(before.score(), after.score(), "trial " + number);
                assertEquals(before.paramsKey(), after.paramsKey(), "trial " + number);
                assertEquals(before.epochs(), after.epochs(), "trial " + number);
            });
            trials.stream().filter(t -> t.state() == TrialState.COMPLETED || t.state() == TrialState.FAILED)
                    .forEach(t -> finished.put(t.number(), t));
            return store.run(1).orElseThrow().status();
        }
    }

    /** A trial the killed process reported completed was committed: it is in the store, completed. */
    private static void checkReportedTrialsStored(Path db, String output) {
        Matcher reported = Pattern.compile("(?m)^trial (\\d+) completed").matcher(output);
        try (Store store = Store.open(db)) {
            while (reported.find()) {
                int number = Integer.parseInt(reported.group(1));
                assertEquals(TrialState.COMPLETED, store.trial(1, number).map(Trial::state).orElse(null),
                        "trial " + number + " was reported completed before the kill");
            }
        }
    }

    private static Map<TrialState, Long> states(Path db) {
        try (Store store = Store.open(db)) {
            return store.trials(1).stream().collect(Collectors.groupingBy(Trial::state, Collectors.counting()));
        }
    }

    private static HpsearchProcess start(String... args) throws Exception {
        return new HpsearchProcess(args);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
