package io.hpsearch.cli;

import io.hpsearch.store.PrivatePostgres;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.TestPostgres;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.testing.HpsearchProcess;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real `hpsearch worker` processes sharing one run through a real PostgreSQL server on loopback: killed with SIGKILL
 * while they train, joining mid-run, riding out a server restart, and eight at once on 200 trials.
 */
class WorkersTest {
    private static final String GRACE = "3";

    @TempDir
    Path dir;
    private String db;
    private final List<HpsearchProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(HpsearchProcess::close);
        if (db != null) {
            TestPostgres.dropDatabase(db);
        }
    }

    private Path space(String name, int trials, int epochs, int trainLimit) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), String.format(Locale.ROOT, """
                name: %s
                search: random
                max_trials: %d
                seed: 5
                training: {epochs: %d, batch_size: 32, train_limit: %d}
                model:
                  type: mlp
                  hidden_layers: {min: 1, max: 3}
                  units: {min: 8, max: 64, step: 1}
                  learning_rate: {min: 0.0005, max: 0.05, log: true}
                """, name, trials, epochs, trainLimit));
    }

    /** Records the run without training it: workers do. */
    private static void record(Path space, String db) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"run", space.toString(), "--no-work", "--db", db, "--data",
                TestPaths.DATA.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().startsWith("Run 1 recorded; it waits for workers"), out.toString());
        assertTrue(!out.toString().contains("password=hpsearch"), "the password is never printed: " + out);
    }

    private HpsearchProcess worker(String db) throws Exception {
        return worker(db, GRACE);
    }

    private HpsearchProcess worker(String db, String grace) throws Exception {
        List<String> args = new ArrayList<>(List.of("worker", "--db", db, "--data", TestPaths.DATA.toString(),
                "--workers", "1", "--threads", "1", "--heartbeat-grace", grace));
        HpsearchProcess p = new HpsearchProcess(args.toArray(String[]::new));
        processes.add(p);
        return p;
    }

    @Test
    void workerOnOneRunExitsAsTheRunEnded() throws Exception {
        // A run cancelled while it waited: worker --run says so and exits as run and resume would (130), not 0.
        String h2 = dir.resolve("one-run/hpsearch").toString();
        record(space("cancelled", 2, 1, 64), h2);
        try (Store store = Store.open(h2)) {
            assertTrue(store.requestCancel(1));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"worker", "--run", "1", "--db", h2, "--data", TestPaths.DATA.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(RunCommand.CANCELLED, code, out + "\n" + err);
        assertEquals("Run 1 is cancelled: cancelled while it waited in the queue", out.toString().strip());
    }

    @Test
    void aDatabaseUrlThatCannotServeIsOneParagraphAndExitTwo() {
        String wrongPassword = TestPostgres.urlOf("postgres").replace("password=hpsearch", "password=wrong-secret");
        String missing = TestPostgres.urlOf("hpsearch_test_missing");
        String noFile = dir.resolve("typo").toString();
        for (String[] args : List.of(new String[]{"runs", "--db", wrongPassword},
                new String[]{"worker", "--db", missing}, new String[]{"runs", "--db", "jdbc:mysql://h/db"},
                new String[]{"worker", "--db", noFile}, new String[]{"worker", "--workers", "0", "--db", missing})) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertEquals(2, Main.execute(args, new PrintWriter(out), new PrintWriter(err)), String.join(" ", args));
            String message = err.toString().strip();
            assertTrue(message.startsWith("hpsearch: "), message);
            assertEquals(1, message.lines().count(), "one paragraph: " + message);
            assertTrue(!message.contains("wrong-secret"), "the password is never printed: " + message);
            assertTrue(!message.contains("Exception"), message);
        }
        assertTrue(!Files.exists(Path.of(noFile + ".mv.db")), "a worker creates no database at a mistyped path");
    }

    @Test
    void aWorkerKilledWhileItTrainsHasItsTrialRetriedAndAFourthJoinsMidRun() throws Exception {
        db = TestPostgres.createDatabase();
        // Enough work that the fourth worker, which needs a few seconds to start and read its data, finds trials left.
        int planned = 36;
        record(space("killed", planned, 3, 1200), db);
        HpsearchProcess a = worker(db);
        HpsearchProcess b = worker(db);
        HpsearchProcess c = worker(db);

        String started = a.awaitLine(line -> line.matches("trial \\d+ epoch 1/3: .*"));
        assertNotNull(started, a.output());
        int killedTrial = Integer.parseInt(started.split(" ")[1]);
        long killedPid = a.pid();
        a.kill();
        HpsearchProcess d = worker(db);

        for (HpsearchProcess p : List.of(b, c, d)) {
            assertEquals(0, p.awaitExit(), p.output());
        }
        try (Store store = Store.open(db)) {
            assertEquals(RunStatus.COMPLETED, store.run(1).orElseThrow().status(), store.run(1).toString());
            List<Trial> trials = store.trials(1);
            assertEquals(IntStream.rangeClosed(1, planned).boxed().toList(), trials.stream().map(Trial::number)
                    .toList(), "exactly max_trials trials, numbered once each");
            assertEquals(planned, trials.stream().map(Trial::paramsKey).distinct().count(), "no network twice");
            assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETED), trials.toString());
            for (Trial t : trials) {
                assertEquals(3, store.epochs(t.id()).size(), "trial " + t.number() + " has each epoch once");
            }
            Trial retried = trials.get(killedTrial - 1);
            assertEquals(1, retried.retries(), "the killed worker's trial was trained again: " + retried);
            assertTrue(retried.pid() != killedPid, "by another worker");
            Set<Long> pids = trials.stream().map(Trial::pid).collect(Collectors.toSet());
            System.out.println("WorkersTest: trials per worker process " + trials.stream().collect(
                    Collectors.groupingBy(Trial::pid, Collectors.counting())) + ", the one that joined: " + d.pid());
            assertTrue(pids.contains(d.pid()), "the worker that joined mid-run took trials: " + pids);
            assertEquals(store.testEvaluation(1).orElseThrow().trialNumber(), store.model(1).orElseThrow()
                    .trialNumber(), "the best network, whoever trained it, was evaluated");
            assertTrue(store.workers(1).size() >= 4, store.workers(1).toString());
        }
    }

    @Test
    void aPostgresRestartMidRunCostsNothingThatCompleted() throws Exception {
        try (PrivatePostgres server = PrivatePostgres.start()) {
            String url = server.url();
            int planned = 10;
            record(space("restart", planned, 2, 600), url);
            HpsearchProcess a = worker(url);
            HpsearchProcess b = worker(url);
            Map<Integer, Double> before = new HashMap<>();
            // Wait for two completed trials, then take the server away for two seconds.
            for (int i = 0; i < 600 && before.size() < 2; i++) {
                Thread.sleep(500);
                try (Store store = Store.open(url)) {
                    store.trials(1).stream().filter(t -> t.state() == TrialState.COMPLETED)
                            .forEach(t -> before.put(t.number(), t.score()));
                }
            }
            assertTrue(before.size() >= 2, a.output() + b.output());
            server.restart(2000);

            assertEquals(0, a.awaitExit(), a.output());
            assertEquals(0, b.awaitExit(), b.output());
            try (Store store = Store.open(url)) {
                assertEquals(RunStatus.COMPLETED, store.run(1).orElseThrow().status(), store.run(1).toString());
                List<Trial> trials = store.trials(1);
                assertEquals(planned, trials.size());
                assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETED), trials.toString());
                before.forEach((number, score) -> assertEquals(score, trials.get(number - 1).score(),
                        "trial " + number + " completed before the restart and is unchanged"));
            }
        }
    }

    @Test
    void aWorkerThatCannotServeARunSaysSoAndExitsTwo() throws Exception {
        // Its data are not here: the worker tells why, leaves the run to other workers, and its exit says the work
        // is not done (it said "No unfinished run left", exit 0).
        String h2 = dir.resolve("refused/hpsearch").toString();
        record(space("refused", 2, 1, 64), h2);
        Path noData = Files.createDirectories(dir.resolve("empty-data"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"worker", "--db", h2, "--data", noData.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(Main.BAD_INPUT, code, out + "\n" + err);
        assertTrue(err.toString().startsWith("Not working on run 1: "), err.toString());
        assertEquals("No unfinished run left in " + h2 + " that this worker can work on; not worked on (their data "
                + "differ or are missing here): run 1 (see why above).", out.toString().strip());
        try (Store store = Store.open(h2)) {
            assertEquals(RunStatus.QUEUED, store.run(1).orElseThrow().status(), "left for another worker");
        }
    }

    @Test
    void aWorkerLeavesAnInterruptedRunWhoseTimeRanOutWithoutReadingItsData() throws Exception {
        // The state a process killed after its run's deadline, before any trial completed, leaves behind: every
        // worker would read the whole dataset and then refuse the run, and a plain worker exit 2 for it forever.
        String h2 = dir.resolve("spent/hpsearch").toString();
        Path space = Files.writeString(dir.resolve("spent.yaml"), Files.readString(space("spent", 2, 1, 64))
                .replace("max_trials: 2", "max_trials: 2\nmax_minutes: 1"));
        record(space, h2);
        try (Store store = Store.open(h2)) {
            assertTrue(store.startRun(1));
            store.startTimeBudget(1, Duration.ZERO);
            Thread.sleep(20);
            store.heartbeat(1); // alive past its deadline: its time is spent
            Thread.sleep(20);
            assertEquals(1, store.interruptStale(Duration.ZERO));
        }
        // Data that are not here: a worker that read them would say so and exit 2.
        Path noData = Files.createDirectories(dir.resolve("no-data"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"worker", "--db", h2, "--data", noData.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, out + "\n" + err);
        assertEquals("Not working on run 1: run 1's time budget (max_minutes: 1) ran out before any trial completed, "
                + "so a resume would train nothing; start a new run of its space with a larger max_minutes (run "
                + "--max-minutes M)", err.toString().strip());
        assertEquals("No unfinished run left in " + h2 + " that this worker can work on; left as they are: run 1 "
                + "(see why above).", out.toString().strip());
        try (Store store = Store.open(h2)) {
            assertEquals(RunStatus.INTERRUPTED, store.run(1).orElseThrow().status());
        }
    }

    @Test
    void aForeverWorkerRidesOutADatabaseOutageLongerThanItsRetries() throws Exception {
        try (PrivatePostgres server = PrivatePostgres.start()) {
            String url = server.url();
            int planned = 6;
            record(space("outage", planned, 2, 600), url);
            HpsearchProcess w = new HpsearchProcess("worker", "--forever", "--poll", "1", "--reconnect", "2",
                    "--db", url, "--data", TestPaths.DATA.toString(), "--workers", "1", "--threads", "1",
                    "--heartbeat-grace", GRACE);
            processes.add(w);
            assertNotNull(w.awaitLine(line -> line.matches("trial \\d+ epoch 1/2: .*")), w.output());
            // Down for longer than --reconnect: the run in progress is given up, not failed, and the worker waits.
            server.stopNow();
            String waiting = w.awaitLine(line -> line.contains("keeps trying"));
            assertNotNull(waiting, w.output());
            assertTrue(waiting.startsWith("hpsearch: lost the connection to the PostgreSQL database "), waiting);
            assertTrue(!waiting.contains("Exception") && !waiting.contains("internal error"), waiting);
            server.startAgain();
            assertNotNull(w.awaitLine(line -> line.startsWith("Run 1 completed")), w.output());
            w.interrupt();
            assertEquals(RunCommand.CANCELLED, w.awaitExit(), w.output());
            assertTrue(w.output().contains("hpsearch: the database is reachable again"), w.output());
            try (Store store = Store.open(url)) {
                assertEquals(RunStatus.COMPLETED, store.run(1).orElseThrow().status(), store.run(1).toString());
                List<Trial> trials = store.trials(1);
                assertEquals(IntStream.rangeClosed(1, planned).boxed().toList(), trials.stream().map(Trial::number)
                        .toList());
                assertEquals(List.of(), trials.stream().filter(t -> t.state() != TrialState.COMPLETED).toList(),
                        "the trial in flight during the outage was trained again, not failed or cancelled");
            }
        }
    }

    @Test
    void eightWorkersOnTwoHundredTrialsNeverClaimOneTwice() throws Exception {
        db = TestPostgres.createDatabase();
        int planned = 200;
        record(space("eight", planned, 1, 200), db);
        List<HpsearchProcess> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // Nothing is killed here: a grace long enough that eight JVMs on two busy cores never look dead (with
            // 3 s, a run beside a benchmark that held both cores had a trial retried).
            eight.add(worker(db, "30"));
        }
        for (HpsearchProcess p : eight) {
            assertEquals(0, p.awaitExit(), p.output());
        }
        try (Store store = Store.open(db)) {
            assertEquals(RunStatus.COMPLETED, store.run(1).orElseThrow().status(), store.run(1).toString());
            List<Trial> trials = store.trials(1);
            assertEquals(IntStream.rangeClosed(1, planned).boxed().toList(), trials.stream().map(Trial::number)
                    .toList());
            assertEquals(planned, new HashSet<>(trials.stream().map(Trial::paramsKey).toList()).size());
            assertEquals(List.of(), trials.stream().filter(t -> t.state() != TrialState.COMPLETED || t.retries() != 0)
                    .toList(), "no trial lost or trained twice");
            double[] claims = trials.stream().mapToDouble(t -> {
                assertNotNull(t.claimMs(), "every claim's latency is recorded: " + t);
                return t.claimMs();
            }).sorted().toArray();
            long workersWithTrials = trials.stream().map(Trial::pid).distinct().count();
            System.out.printf(Locale.ROOT, "WorkersTest: 8 workers, %d of them trained trials; claim latency "
                            + "p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", workersWithTrials,
                    claims[claims.length / 2], claims[(int) Math.floor(claims.length * 0.99)],
                    claims[claims.length - 1]);
            assertTrue(workersWithTrials >= 4, "the trials were shared: " + Arrays.toString(claims));
        }
    }
}
