package io.hpsearch.cli;

import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.testing.HpsearchProcess;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Ctrl-C on a real `hpsearch run` process: the run ends cleanly, as the user asked, with nothing half-written. */
class CtrlCTest {
    @TempDir
    Path dir;

    @Test
    void interruptMarksTrialsInFlightCancelledAndKeepsCompletedOnes() throws Exception {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "sends a POSIX signal");
        Path db = dir.resolve("hpsearch");
        String output;
        int exit;
        try (HpsearchProcess run = new HpsearchProcess("run", TestPaths.REFERENCE_SPACE.toString(),
                "--data", TestPaths.DATA.toString(), "--db", db.toString(), "--max-trials", "20",
                "--epochs", "6", "--train-limit", "2000", "--workers", "2")) {
            // Trial 3 starts once a trial has completed, and trains for seconds: press Ctrl-C while it is in flight.
            assertNotNull(run.awaitLine(line -> line.startsWith("trial 3 started")), run.output());
            run.interrupt();
            exit = run.awaitExit();
            output = run.output();
        }

        assertEquals(RunCommand.CANCELLED, exit, output);
        assertTrue(output.contains("hpsearch: stopping: trials in flight end at their next minibatch"), output);
        assertTrue(output.contains("Run 1 cancelled: cancelled by the user"), output);
        try (Store store = Store.open(db)) {
            Run stored = store.run(1).orElseThrow();
            assertEquals(RunStatus.CANCELLED, stored.status());
            List<Trial> trials = store.trials(1);
            List<Trial> completed = trials.stream().filter(t -> t.state() == TrialState.COMPLETED).toList();
            List<Trial> cancelled = trials.stream().filter(t -> t.state() == TrialState.CANCELLED).toList();
            assertTrue(completed.size() >= 1 && cancelled.size() >= 1, output);
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
