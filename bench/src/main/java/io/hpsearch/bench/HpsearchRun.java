package io.hpsearch.bench;

import io.hpsearch.runner.ParallelismPolicy;
import io.hpsearch.runner.RunListener;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** hpsearch itself on the workload's grid space, in process, with a fresh H2 store. */
final class HpsearchRun {
    private HpsearchRun() {
    }

    /**
     * @param wallSeconds    the whole run: split, trials, store writes, model saving, test evaluation
     * @param epochSeconds   summed over every trial's epochs: time in training and validation as the trials saw it
     * @param testSeconds    the final test-set evaluation of the best network
     * @param trainingWindow from the first trial's start to the last trial's end
     * @param epochSecondsByNetwork each trial's summed epoch seconds, by its network's parameter key
     * @param busiestWorkerSeconds the epoch seconds of the worker that trained longest
     */
    record Timing(int workers, int threads, double wallSeconds, double epochSeconds, double testSeconds,
                  double trainingWindow, long examples, Map<String, Double> epochSecondsByNetwork,
                  double busiestWorkerSeconds) {
        /** The overhead: 1 - time in training and evaluation (per worker) / wall time. */
        double overhead() {
            return 1 - (epochSeconds / workers + testSeconds) / wallSeconds;
        }

        /**
         * The part of {@link #overhead} the busiest worker spent outside its epochs and the test evaluation; the
         * rest is the others' idle time at the end, when they had no trial left (unequal networks on N workers).
         */
        double busiestWorkerOverhead() {
            return 1 - (busiestWorkerSeconds + testSeconds) / wallSeconds;
        }
    }

    static Timing run(Workload workload, int workers, int threads) throws IOException {
        return run(workload, ParallelismPolicy.fixed(workers, threads));
    }

    /** With the workers and threads {@code parallelism} chooses (its measuring counts in the wall time). */
    static Timing run(Workload workload, ParallelismPolicy parallelism) throws IOException {
        try (ScratchStore scratch = ScratchStore.create("hpsearch-bench")) {
            Store store = scratch.store();
            Clock clock = new Clock();
            SearchRunner runner = new SearchRunner(store, workload.data.dataset(), parallelism, clock);
            long start = System.nanoTime();
            SearchRunner.Outcome outcome = runner.run(workload.spec, workload.yaml);
            double wall = (System.nanoTime() - start) / 1e9;
            if (outcome.status() != RunStatus.COMPLETED) {
                throw new IllegalStateException("hpsearch run ended " + outcome.status() + ": " + outcome.message());
            }
            double epochSeconds = 0;
            Map<String, Double> byNetwork = new LinkedHashMap<>();
            for (Trial trial : store.trials(outcome.runId())) {
                if (trial.state() != TrialState.COMPLETED) {
                    throw new IllegalStateException("trial " + trial.number() + " ended " + trial.state());
                }
                for (EpochMetrics e : store.epochs(trial.id())) {
                    epochSeconds += e.seconds();
                    byNetwork.merge(trial.paramsKey(), e.seconds(), Double::sum);
                }
            }
            return new Timing(outcome.throughput().workers(), outcome.throughput().threadsPerWorker(), wall,
                    epochSeconds, clock.testSeconds(), clock.trainingWindow(),
                    outcome.throughput().examples(), byNetwork, clock.busiestWorkerSeconds());
        }
    }

    /** Times the phases of a run from its listener callbacks. */
    private static final class Clock implements RunListener {
        private long firstStart;
        private long lastFinish;
        private long tested;
        /** Epoch seconds by worker thread: each worker reports its own trials' epochs on its own thread. */
        private final Map<Long, Double> byWorker = new java.util.HashMap<>();

        @Override
        public synchronized void epochEnded(int number, EpochMetrics metrics) {
            byWorker.merge(Thread.currentThread().getId(), metrics.seconds(), Double::sum);
        }

        synchronized double busiestWorkerSeconds() {
            return byWorker.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        @Override
        public synchronized void trialStarted(int number, TrialParams params) {
            if (firstStart == 0) {
                firstStart = System.nanoTime();
            }
        }

        @Override
        public synchronized void trialFinished(int number, TrialState state, Double score, String reason) {
            lastFinish = System.nanoTime();
        }

        @Override
        public synchronized void testEvaluated(TestEvaluation evaluation) {
            tested = System.nanoTime();
        }

        synchronized double testSeconds() {
            return (tested - lastFinish) / 1e9;
        }

        synchronized double trainingWindow() {
            return (lastFinish - firstStart) / 1e9;
        }
    }
}
