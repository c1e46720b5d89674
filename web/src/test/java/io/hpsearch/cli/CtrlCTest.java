package io.hpsearch.cli;

import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Ctrl-C on a real `hpsearch run` process: the run ends cleanly, as the user asked, with nothing half-written. */
class CtrlCTest {
    @TempDir
    Path dir;

    @Test
    void interruptMarksTrialsInFlightCancelledAndKeepsCompletedOnes() throws Exception {
        assumeTrue(Files.isDirectory(RunCommandTest.DATA), "Fashion-MNIST is not at " + RunCommandTest.DATA);
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "sends a POSIX signal");
        Path db = dir.resolve("hpsearch");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(), "run", RunCommandTest.SPACE.toString(),
                "--data", RunCommandTest.DATA.toString(), "--db", db.toString(), "--max-trials", "20",
                "--epochs", "6", "--train-limit", "2000", "--workers", "2")
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                // Trial 3 starts once a trial has completed, and trains for seconds: press Ctrl-C (SIGINT, as a
                // terminal sends it) while it is in flight.
                if (!sent && line.startsWith("trial 3 started")) {
                    new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
                    sent = true;
                }
            }
        }
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));

        assertEquals(RunCommand.CANCELLED, process.exitValue(), output.toString());
        assertTrue(output.toString().contains("hpsearch: stopping: trials in flight end at their next minibatch"),
                output.toString());
        assertTrue(output.toString().contains("Run 1 cancelled: cancelled by the user"), output.toString());
        try (Store store = Store.open(db)) {
            Run run = store.run(1).orElseThrow();
            assertEquals(RunStatus.CANCELLED, run.status());
            List<Trial> trials = store.trials(1);
            List<Trial> completed = trials.stream().filter(t -> t.state() == TrialState.COMPLETED).toList();
            List<Trial> cancelled = trials.stream().filter(t -> t.state() == TrialState.CANCELLED).toList();
            assertTrue(completed.size() >= 1 && cancelled.size() >= 1, output.toString());
            assertEquals(trials.size(), completed.size() + cancelled.size(), "no trial is left running");
            for (Trial trial : completed) {
                assertEquals(6, store.epochs(trial.id()).size());
                assertTrue(trial.score() > 0.5, "a completed trial keeps its score: " + trial.score());
            }
            for (Trial trial : cancelled) {
                assertEquals("cancelled by the user", trial.failureReason());
                assertTrue(trial.epochs() < 6);
                assertEquals(trial.epochs(), store.epochs(trial.id()).size());
            }
            assertTrue(store.testEvaluation(1).isEmpty(), "a cancelled run evaluates nothing on the test set");
        }
    }
}
