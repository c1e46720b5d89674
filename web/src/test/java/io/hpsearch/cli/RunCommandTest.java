package io.hpsearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole command line against a real H2 file and a small slice of the real Fashion-MNIST. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunCommandTest {
    static final Path DATA = TestPaths.DATA;
    static final Path SPACE = TestPaths.REFERENCE_SPACE;

    @TempDir
    static Path dir;
    Path db;
    Result run;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    void smallRun() {
        db = dir.resolve("store/hpsearch");
        run = cli("run", SPACE.toString(), "--data", DATA.toString(), "--db", db.toString(), "--max-trials", "3",
                "--epochs", "1", "--train-limit", "2000", "--workers", "2");
    }

    @Test
    @Order(1)
    void runTrainsThreeTrialsRanksThemAndEvaluatesTheBestOnTheTestSet() {
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("Run 1 'fashion-mlp': random search, 3 trial(s) of 1 epoch(s)"), run.out());
        assertTrue(run.out().contains("Trained 6,000 examples in "), run.out());
        assertTrue(run.out().contains("Run 1 completed"), run.out());
        assertTrue(run.out().contains("on the test set"), run.out());
        try (Store store = Store.open(db)) {
            Run stored = store.run(1).orElseThrow();
            assertEquals(RunStatus.COMPLETED, stored.status());
            assertEquals(42, stored.seed());
            assertTrue(stored.spaceYaml().contains("keras-tuner"), "the space file is stored as written");
            assertTrue(stored.resolvedSpace().contains("\"train_limit\":2000"), stored.resolvedSpace());
            assertFalse(stored.dl4jVersion().equals("unknown"));
            List<Trial> trials = store.rankedTrials(1, 0);
            assertEquals(3, trials.size());
            for (Trial t : trials) {
                assertEquals(TrialState.COMPLETED, t.state());
                assertEquals(1, t.epochs());
                assertEquals(1, store.epochs(t.id()).size());
            }
            assertTrue(trials.get(0).score() >= trials.get(1).score());
            assertTrue(trials.get(1).score() >= trials.get(2).score());
            TestEvaluation test = store.testEvaluation(1).orElseThrow();
            assertEquals(trials.get(0).number(), test.trialNumber(), "the best trial is the one evaluated");
            assertTrue(test.accuracy() > 0.6, "2,000 examples and one epoch still beat 60 %: " + test.accuracy());
            assertEquals(10, test.classes().size());
            assertEquals(1000, Arrays.stream(test.confusion()).flatMapToInt(Arrays::stream).sum());
            assertEquals(test.trialNumber(), store.model(1).orElseThrow().trialNumber(),
                    "the evaluated network is the one the store keeps as the run's model");
        }
    }

    @Test
    @Order(2)
    void trialsCommandPrintsTheRankingAsTableCsvAndJson() throws Exception {
        Result table = cli("trials", "1", "--db", db.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().lines().findFirst().orElseThrow().contains("units_1"), table.out());

        Result csv = cli("trials", "1", "--db", db.toString(), "--format", "csv");
        List<String> lines = csv.out().lines().toList();
        assertEquals(4, lines.size(), csv.out());
        assertTrue(lines.get(0).startsWith("rank,trial,status,val_accuracy,epochs,input_dropout,hidden_layers"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("1,"));

        Result json = cli("trials", "1", "--db", db.toString(), "--format", "json", "--top", "2");
        JsonNode items = new ObjectMapper().readTree(json.out());
        assertEquals(2, items.size());
        assertEquals(1, items.get(0).get("rank").asInt());
        assertTrue(items.get(0).get("score").asDouble() >= items.get(1).get("score").asDouble());
        assertTrue(items.get(0).get("params").has("learning_rate"));
    }

    @Test
    @Order(3)
    void runsCommandListsTheRun() {
        Result runs = cli("runs", "--db", db.toString());
        assertEquals(0, runs.code(), runs.err());
        assertTrue(runs.out().contains("fashion-mlp"), runs.out());
        assertTrue(runs.out().contains("3/0/0/3"), runs.out());
    }

    @Test
    @Order(4)
    void aBadSpaceExitsWithCode2AndWritesNothing() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: bad\nmodel:\n  type: mlp\n  hidden_layers: 1\n"
                + "  units: {choice: []}\n  learning_rate: 0.01\n");
        Path otherDb = dir.resolve("other/hpsearch");
        Result r = cli("run", bad.toString(), "--data", DATA.toString(), "--db", otherDb.toString());
        assertEquals(2, r.code());
        assertEquals("hpsearch: " + bad + ":5: model.units.choice: must not be empty", r.err().lines().findFirst().orElseThrow());
        assertFalse(Files.exists(otherDb.getParent()), "nothing is written for a bad space");
    }

    @Test
    @Order(5)
    void trialsWhoseLossDivergesFailWithTheirReasonAndEnoughInARowStopTheRun() throws Exception {
        Path diverging = Files.writeString(dir.resolve("diverging.yaml"), """
                name: diverging
                search: grid
                max_consecutive_failures: 2
                training: {epochs: 2, batch_size: 16}
                model:
                  type: mlp
                  hidden_layers: 2
                  units: {per_layer: [{choice: [512, 256, 128, 64, 32]}, 512]}
                  optimizer: sgd
                  learning_rate: 10.0
                """);
        Path failDb = dir.resolve("fail/hpsearch");
        Result r = cli("run", diverging.toString(), "--data", DATA.toString(), "--db", failDb.toString(),
                "--train-limit", "500", "--workers", "1");

        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Run 1 'diverging': grid search over 5 networks, 5 trial(s) of 2 epoch(s)"),
                r.out());
        assertTrue(r.out().contains("Run 1 failed: stopped after 2 trials in a row failed "
                + "(max_consecutive_failures: 2); the last one: "), r.out());
        try (Store store = Store.open(failDb)) {
            assertEquals(RunStatus.FAILED, store.run(1).orElseThrow().status());
            List<Trial> trials = store.trials(1);
            assertEquals(2, trials.size(), "no trial is started after the second failure in a row");
            for (Trial trial : trials) {
                assertEquals(TrialState.FAILED, trial.state());
                assertTrue(trial.failureReason().matches(
                        "(training|validation) loss became (NaN|-?Infinity) in epoch \\d.*"), trial.failureReason());
            }
            assertTrue(store.testEvaluation(1).isEmpty());
        }
    }

    @Test
    @Order(6)
    void executionsPerTrialAndEarlyStoppingAreRecordedAndShown() throws Exception {
        Path space = Files.writeString(dir.resolve("executions.yaml"), """
                name: executions
                search: grid
                training:
                  epochs: 6
                  train_limit: 500
                  executions_per_trial: 2
                  early_stopping: {patience: 1, min_delta: 5.0, metric: val_loss}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {choice: [16, 32]}
                  batch_norm: true
                  activation: elu
                  learning_rate: 0.001
                """);
        Path execDb = dir.resolve("executions/hpsearch");
        Result r = cli("run", space.toString(), "--data", DATA.toString(), "--db", execDb.toString(), "--workers", "2");
        assertEquals(0, r.code(), r.out() + r.err());

        try (Store store = Store.open(execDb)) {
            for (Trial trial : store.trials(1)) {
                assertEquals(TrialState.COMPLETED, trial.state());
                assertTrue(trial.scoreStd() != null && trial.scoreStd() >= 0, "two executions give a spread");
                // A min_delta no epoch can beat: each execution stops after 1 + patience epochs, keeping epoch 1.
                assertEquals(1, trial.bestEpoch());
                assertEquals(2, trial.stoppedEpoch());
                assertEquals(List.of(1, 1, 2, 2), store.epochs(trial.id()).stream().map(e -> e.execution()).toList());
            }
        }
        Result show = cli("show", "1", "--db", execDb.toString());
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("Run 1 'executions': completed"), show.out());
        assertTrue(show.out().contains("Data: fashion-mnist, 28x28 grey; 500 training, 600 validation, 1,000 test "
                + "examples; classes: T-shirt/top, Trouser,"), show.out());
        assertTrue(show.out().matches("(?s).*  train_images: \\S+train-images-idx3-ubyte\\.gz \\(SHA-256 [0-9a-f]{12}\\).*"),
                show.out());
        assertTrue(show.out().matches("(?s).*completed\\s+0\\.\\d{4} ±0\\.\\d{4}.*"), show.out());
        assertTrue(show.out().contains("on the test set"), show.out());
        JsonNode json = new ObjectMapper().readTree(cli("show", "1", "--db", execDb.toString(), "--format", "json")
                .out());
        assertEquals(2, json.get("executions").asInt());
        assertEquals(10, json.get("test").get("classes").size());
    }

    @Test
    @Order(7)
    void theSameSpaceAndSeedGiveTheSameTrialsAndTheSameEpochs() {
        List<List<Object>> first = trialsAndEpochs(dir.resolve("repeat-a/hpsearch"));
        List<List<Object>> second = trialsAndEpochs(dir.resolve("repeat-b/hpsearch"));
        assertEquals(first, second);
        assertEquals(3, first.size());
    }

    /** Each trial's parameters and every epoch's losses and accuracy, from a fresh run of the reference space. */
    private List<List<Object>> trialsAndEpochs(Path db) {
        Result r = cli("run", SPACE.toString(), "--data", DATA.toString(), "--db", db.toString(), "--max-trials", "3",
                "--epochs", "2", "--train-limit", "500", "--workers", "2", "--seed", "11");
        assertEquals(0, r.code(), r.out() + r.err());
        try (Store store = Store.open(db)) {
            return store.trials(1).stream().map(t -> List.<Object>of(t.params(), store.epochs(t.id()).stream()
                    .map(e -> List.of(e.trainLoss(), e.valLoss(), e.valAccuracy())).toList())).toList();
        }
    }

    @Test
    @Order(8)
    void badFlagsAndUnknownRunsAreShortErrorsWithCode2() {
        Result zeroWorkers = cli("run", SPACE.toString(), "--workers", "0", "--db", db.toString());
        assertEquals(2, zeroWorkers.code());
        assertTrue(zeroWorkers.err().contains("--workers must be at least 1, was 0"), zeroWorkers.err());

        Result noTime = cli("run", SPACE.toString(), "--max-minutes", "0", "--db", db.toString());
        assertEquals(2, noTime.code());
        assertTrue(noTime.err().contains("--max-minutes must be more than 0 and at most 525600 (a year), was 0.0"),
                noTime.err());

        Result notANumber = cli("run", SPACE.toString(), "--epochs", "ten");
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().contains("'ten'"), notANumber.err());
        assertTrue(notANumber.err().contains("hpsearch run --help"), notANumber.err());

        Path typo = dir.resolve("typo/hpsearch");
        Result noDb = cli("trials", "1", "--db", typo.toString());
        assertEquals(2, noDb.code());
        assertEquals("hpsearch: no database at " + typo + "; pass --db with the one your runs are in",
                noDb.err().trim());
        Result noRuns = cli("runs", "--db", typo.toString());
        assertEquals(0, noRuns.code());
        assertTrue(noRuns.out().startsWith("No runs yet: there is no database at " + typo), noRuns.out());
        assertFalse(Files.exists(typo.getParent()), "reading commands create nothing");

        Result unknown = cli("trials", "99", "--db", db.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no run 99"), unknown.err());
        // The file's own name, as `serve` prints it, is the same database (H2 would have looked for .mv.db.mv.db).
        Result byFileName = cli("trials", "99", "--db", db + ".mv.db");
        assertEquals(2, byFileName.code());
        assertTrue(byFileName.err().contains("no run 99"), byFileName.err());

        Result tooManyEpochs = cli("run", SPACE.toString(), "--epochs", "20000", "--db", db.toString());
        assertEquals(2, tooManyEpochs.code());
        assertTrue(tooManyEpochs.err().contains("--epochs must be at most 10,000, was 20000"), tooManyEpochs.err());
    }

    @Test
    @Order(8)
    void epochsGivenOnTheCommandLineAreCheckedAgainstHyperband() throws Exception {
        Path space = dir.resolve("hyperband.yaml");
        Files.writeString(space, "name: hb\ntraining: {epochs: 27}\npruner: {type: hyperband, min_epochs: 3}\n"
                + "model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}\n");
        Result tooFew = cli("run", space.toString(), "--epochs", "3", "--db", db.toString());
        assertEquals(2, tooFew.code());
        assertEquals("hpsearch: --epochs 3: pruner.min_epochs: the first rung (min_epochs) is epoch 3, not before "
                + "training.epochs (3): hyperband could never stop a trial before its last epoch; lower it or train "
                + "more epochs", tooFew.err().strip());
        // A file whose pruner the file's own epochs leave idle runs with --epochs that give it room, and --epochs
        // may leave a median pruner idle on purpose (a quick try).
        Path idle = dir.resolve("idle-median.yaml");
        Files.writeString(idle, "name: idle\ntraining: {epochs: 2, train_limit: 100}\npruner: {type: median, "
                + "warmup_epochs: 2}\nmodel: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}\n");
        Result fileOnly = cli("run", idle.toString(), "--db", db.toString());
        assertEquals(2, fileOnly.code(), fileOnly.err());
        assertTrue(fileOnly.err().contains("pruner.warmup_epochs: the first epoch judged after warmup_epochs (2) is "
                + "epoch 3, not before training.epochs (2)"), fileOnly.err());
        Result more = cli("run", idle.toString(), "--epochs", "4", "--max-trials", "1", "--data", DATA.toString(),
                "--db", db.toString());
        assertEquals(0, more.code(), more.out() + more.err());
        Result fewer = cli("run", idle.toString(), "--epochs", "1", "--max-trials", "1", "--data", DATA.toString(),
                "--db", db.toString());
        assertEquals(0, fewer.code(), fewer.out() + fewer.err());
    }

    @Test
    @Order(9)
    void anUnusableDatabaseOrDataDirectoryIsOneParagraphSayingWhatToDo() throws Exception {
        Result unwritable = cli("run", SPACE.toString(), "--data", DATA.toString(), "--db", "/proc/hpsearch/db");
        assertEquals(2, unwritable.code());
        assertTrue(unwritable.err().startsWith("hpsearch: cannot create the database directory /proc/hpsearch"),
                unwritable.err());
        assertTrue(unwritable.err().strip().endsWith("choose another place with --db PATH"), unwritable.err());

        Path garbage = dir.resolve("garbage/hpsearch");
        Files.createDirectories(garbage.getParent());
        Files.writeString(Path.of(garbage + ".mv.db"), "not a database at all\n".repeat(100));
        Result notADatabase = cli("run", SPACE.toString(), "--data", DATA.toString(), "--db", garbage.toString());
        assertEquals(2, notADatabase.code());
        assertTrue(notADatabase.err().startsWith("hpsearch: cannot open the database " + garbage + ".mv.db"),
                notADatabase.err());
        assertTrue(notADatabase.err().contains("Is it an hpsearch database, and writable?"), notADatabase.err());

        Result noData = cli("run", SPACE.toString(), "--data", dir.resolve("nowhere").toString(), "--db",
                dir.resolve("d1/h").toString());
        assertEquals(2, noData.code());
        assertTrue(noData.err().startsWith("hpsearch: "), noData.err());
        assertTrue(noData.err().contains(dir.resolve("nowhere").toString()), noData.err());

        Path corrupt = Files.createDirectories(dir.resolve("corrupt-data"));
        try (var files = Files.list(DATA)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".gz")).toList()) {
                Files.copy(f, corrupt.resolve(f.getFileName()));
            }
        }
        Path images = corrupt.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(whole, whole.length / 2));
        Result truncated = cli("run", SPACE.toString(), "--data", corrupt.toString(), "--db",
                dir.resolve("d2/h").toString());
        assertEquals(2, truncated.code());
        assertTrue(truncated.err().startsWith("hpsearch: " + images), truncated.err());
        assertTrue(truncated.err().strip().endsWith("Replace it with the original file."), truncated.err());

        Result cannotResume = cli("resume", "9", "--db", db.toString());
        assertEquals(2, cannotResume.code());
        assertTrue(cannotResume.err().startsWith("hpsearch: there is no run 9 in "), cannotResume.err());

        for (Result r : List.of(unwritable, notADatabase, noData, truncated, cannotResume)) {
            assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
        }
        Result verbose = cli("resume", "9", "--db", db.toString(), "--verbose");
        assertTrue(verbose.err().contains("\tat io.hpsearch"), "--verbose adds the stack trace: " + verbose.err());
    }

    @Test
    @Order(10)
    void theRunSaysHowItSplitsTheCoresAndTheFlagsWin() throws Exception {
        Path one = Files.writeString(dir.resolve("one.yaml"), """
                name: one
                search: grid
                training: {epochs: 1, train_limit: 200}
                model: {type: mlp, hidden_layers: 1, units: 16, learning_rate: 0.01}
                """);
        Result r = cli("run", one.toString(), "--data", DATA.toString(), "--db", dir.resolve("one/h").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        // A few seconds of training are not worth measuring: the one MLP trial gets one thread, the choice that was
        // never slow by much for dense networks (on one core there is nothing to choose).
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(r.out().contains(cores == 1 ? "Training on 1 worker x 1 thread: the only split of 1 core"
                : "Training on 1 worker x 1 thread: one thread per worker, as dense layers gain little from a "
                + "second thread (about 0 s of training is not worth measuring)"), r.out());
        assertTrue(r.out().contains("(1 worker(s) x 1 ND4J thread(s))"), r.out());

        Result given = cli("run", one.toString(), "--data", DATA.toString(), "--db", dir.resolve("two/h").toString(),
                "--workers", "1", "--threads", "2");
        assertEquals(0, given.code(), given.out() + given.err());
        assertTrue(given.out().contains("Training on 1 worker x 2 threads: as given by --workers and --threads"),
                given.out());
        assertTrue(given.out().contains("(1 worker(s) x 2 ND4J thread(s))"), given.out());
    }
}
