package io.hpsearch.bench;

import io.hpsearch.data.FashionMnist;
import io.hpsearch.runner.ParallelismPolicy;
import io.hpsearch.runner.RunListener;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.store.TrialState;
import io.hpsearch.trainer.OneDnn;
import io.hpsearch.trial.TrialParams;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a run's wall time goes outside its epochs: every listener callback of a run of the throughput workload,
 * timestamped, then the time outside epochs and the test evaluation summed (bench/throughput's overhead). The
 * first run of a process pays for loading and compiling hpsearch's code; the later ones show the steady state.
 *
 * <p>Usage: {@code OverheadProbe DATA_DIR SPACE_YAML WORKERS RUNS} (one ND4J thread per worker); what found the
 * idle second at the end of a run with a waiting worker (bench/README, "Throughput").
 */
public final class OverheadProbe {
    private OverheadProbe() {
    }

    public static void main(String[] args) throws IOException {
        OneDnn.selectNatives();
        if (args.length != 4) {
            System.err.println("usage: OverheadProbe DATA_DIR SPACE_YAML WORKERS RUNS");
            System.exit(2);
        }
        Workload workload = new Workload(Path.of(args[1]), FashionMnist.load(Path.of(args[0])));
        int workers = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        for (int r = 1; r <= runs; r++) {
            Events events = new Events();
            try (ScratchStore scratch = ScratchStore.create("hpsearch-probe")) {
                SearchRunner runner = new SearchRunner(scratch.store(), workload.data.dataset(),
                        ParallelismPolicy.fixed(workers, 1), events);
                events.start();
                runner.run(workload.spec, workload.yaml);
                events.log("run returned");
            }
            System.out.printf(Locale.ROOT, "--- run %d of %d, %d worker(s)%n", r, runs, workers);
            events.lines.forEach(System.out::println);
            double wall = events.seconds();
            double outside = wall - events.epochSeconds / workers - events.testSeconds();
            System.out.printf(Locale.ROOT, "wall %.3f s, epochs %.3f s per worker, test %.3f s: outside them "
                    + "%.3f s (%.1f %%)%n", wall, events.epochSeconds / workers, events.testSeconds(), outside,
                    100 * outside / wall);
        }
    }

    /** The callbacks as they come, from every worker. */
    private static final class Events implements RunListener {
        final List<String> lines = new ArrayList<>();
        private long start;
        private long last;
        private long testStarting;
        private long testEvaluated;
        double epochSeconds;

        synchronized void start() {
            start = System.nanoTime();
        }

        synchronized void log(String event) {
            last = System.nanoTime();
            lines.add(String.format(Locale.ROOT, "%8.3f s  %-16s %s", (last - start) / 1e9,
                    Thread.currentThread().getName(), event));
        }

        synchronized double seconds() {
            return (last - start) / 1e9;
        }

        synchronized double testSeconds() {
            return (testEvaluated - testStarting) / 1e9;
        }

        @Override
        public void runStarted(long runId, String name, int plannedTrials) {
            log("run started");
        }

        @Override
        public void trialStarted(int number, TrialParams params) {
            log("trial " + number + " started");
        }

        @Override
        public synchronized void epochEnded(int number, EpochMetrics metrics) {
            epochSeconds += metrics.seconds();
            log(String.format(Locale.ROOT, "trial %d epoch %d ended (%.3f s)", number, metrics.epoch(),
                    metrics.seconds()));
        }

        @Override
        public void trialFinished(int number, TrialState state, Double score, String reason) {
            log("trial " + number + " " + state);
        }

        @Override
        public synchronized void testStarting(int trialNumber) {
            log("test evaluation started");
            testStarting = last;
        }

        @Override
        public synchronized void testEvaluated(TestEvaluation evaluation) {
            log("test evaluation ended");
            testEvaluated = last;
        }
    }
}
