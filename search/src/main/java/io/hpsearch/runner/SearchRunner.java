package io.hpsearch.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.data.DataException;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.InputShape;
import io.hpsearch.data.TrainingData;
import io.hpsearch.model.ModelFile;
import io.hpsearch.pruner.Pruner;
import io.hpsearch.pruner.Pruners;
import io.hpsearch.sampler.Sampler;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.sampler.TrialRecord;
import io.hpsearch.space.ModelType;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.NewRun;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.trainer.NativeThreads;
import io.hpsearch.trainer.EpochRule;
import io.hpsearch.trainer.NetworkCost;
import io.hpsearch.trainer.TestEvaluator;
import io.hpsearch.trainer.TrainingListener;
import io.hpsearch.trainer.TrialFailedException;
import io.hpsearch.trainer.TrialPrunedException;
import io.hpsearch.trainer.TrialTrainer;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one tuning run: draws candidates, trains them on a pool of workers, records everything in the store as it
 * happens, then evaluates the best network once on the test set.
 */
public final class SearchRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Dataset data;
    private final Path modelDir;
    private final int workers;
    private final int threads;
    private final RunListener listener;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /**
     * @param data     the run's data, as its space's {@code dataset:} names it, read once
     * @param modelDir where each run's best network is written (a folder per run)
     * @param workers  trials trained side by side
     * @param threads  ND4J native threads per worker (see {@link NativeThreads})
     */
    public SearchRunner(Store store, Dataset data, Path modelDir, int workers, int threads,
                        RunListener listener) {
        if (workers < 1 || threads < 1) {
            throw new IllegalArgumentException("workers and threads must be at least 1, were " + workers + ", "
                    + threads);
        }
        this.store = store;
        this.data = data;
        this.modelDir = modelDir;
        this.workers = workers;
        this.threads = threads;
        this.listener = listener;
    }

    /** Asks a run in progress to stop: trials in flight end as cancelled at their next minibatch. */
    public void cancel() {
        cancelled.set(true);
    }

    /** What a finished run came to. */
    public record Outcome(long runId, RunStatus status, String message, Optional<TestEvaluation> test,
                          Throughput throughput) {
    }

    /** Records a new run of the space, with its provenance; {@code status} RUNNING or QUEUED. */
    public static long record(Store store, SpaceSpec spec, String spaceYaml, RunStatus status) {
        Provenance provenance = Provenance.current();
        return store.createRun(new NewRun(spec.name(), spaceYaml, toJson(spec.describe()), spec.search().key(),
                spec.objective(), spec.maxTrials(), spec.seed(), provenance.javaVersion(), provenance.dl4jVersion(),
                provenance.hpsearchVersion()), status);
    }

    /**
     * Records a run of the space and runs it to the end (or until cancelled); returns once everything is stored.
     *
     * @throws DataException before anything is stored, when the data cannot serve the space
     */
    public Outcome run(SpaceSpec spec, String spaceYaml) {
        TrainingData prepared = prepare(data, spec);
        long runId = record(store, spec, spaceYaml, RunStatus.RUNNING);
        return runStarted(runId, spec, prepared);
    }

    /**
     * The run's data split, fitted and encoded for the space's networks.
     *
     * @throws DataException when a class is too small to split, or the space's networks cannot take the data
     */
    public static TrainingData prepare(Dataset data, SpaceSpec spec) {
        TrainingData prepared = TrainingData.prepare(data, spec.training().validationSplit(), spec.seed(),
                spec.training().trainLimit());
        checkModelFits(spec, prepared.shape());
        return prepared;
    }

    /**
     * Checks, without splitting or encoding anything, that the data can serve the space: what {@link #prepare}
     * would refuse. For callers that must answer before a run is recorded (a request, a command's first step).
     *
     * @throws DataException when a class is too small to split, or the space's networks cannot take the data
     */
    public static void check(Dataset data, SpaceSpec spec) {
        TrainingData.checkSplittable(data, spec.training().validationSplit());
        if (spec.model().type() == ModelType.CNN) {
            checkModelFits(spec, data.fit(data.train()).shape());
        }
    }

    /**
     * What the parser could not check without the data: an IDX file's image size against a cnn's pooling. (A cnn
     * on a table never gets here: the parser refuses it.)
     */
    private static void checkModelFits(SpaceSpec spec, InputShape shape) {
        if (spec.model().type() == ModelType.CNN) {
            spec.model().tooSmallFor(Math.min(shape.height(), shape.width())).ifPresent(problem -> {
                throw new DataException("model.conv_blocks: " + problem);
            });
        }
    }

    /**
     * Refuses to resume a run whose data changed on disk since it started: its trials would not be comparable.
     *
     * @throws ResumeException naming the file that changed
     */
    public static void checkSameData(Store store, long runId, List<Dataset.DataFile> now) {
        Optional<String> stored = store.runData(runId);
        if (stored.isEmpty()) {
            return; // recorded before hpsearch kept data hashes, or never started
        }
        Map<String, Object> record = readJson(stored.get());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) record.getOrDefault("files", List.of());
        for (Map<String, Object> file : files) {
            Optional<Dataset.DataFile> current = now.stream()
                    .filter(f -> f.role().equals(file.get("role"))).findFirst();
            String was = (String) file.get("sha256");
            if (current.isEmpty() || !current.get().sha256().equals(was)) {
                throw new ResumeException(file.get("path") + " changed since run " + runId + " started (SHA-256 "
                        + abbreviate(was) + (current.isPresent() ? ", now " + abbreviate(current.get().sha256()) : "")
                        + "); a resumed run must train on the same data: restore the file or start a new run");
            }
        }
    }

    private static String abbreviate(String sha) {
        return sha == null ? "unknown" : sha.substring(0, Math.min(12, sha.length()));
    }

    /**
     * Continues an interrupted or cancelled run: its completed and failed trials stay as they are, trials that were
     * cut off are trained again under their numbers, and the search goes on from where it was, never proposing a
     * network the run already has, until the run has its planned number of trials.
     *
     * @throws ResumeException when the run does not exist or is not interrupted or cancelled
     */
    public Outcome resume(long runId) {
        checkSameData(store, runId, data.files());
        Run run = store.run(runId).orElseThrow(() -> new ResumeException("there is no run " + runId));
        TrainingData prepared = prepare(data, storedSpec(run));
        return runStarted(runId, takeOver(store, runId, RunStatus.RUNNING), prepared);
    }

    /**
     * Takes an interrupted or cancelled run over for resuming, as {@code status} (RUNNING to run it now, QUEUED to
     * run it after others), and returns the space it runs.
     *
     * @throws ResumeException when the run does not exist or is in any other state
     */
    public static SpaceSpec takeOver(Store store, long runId, RunStatus status) {
        SpaceSpec spec = storedSpec(resumable(store, runId));
        if (!store.resumeRun(runId, status)) {
            throw notResumable(runId, store.run(runId).orElseThrow().status());
        }
        return spec;
    }

    /**
     * The run, if it can be resumed now: checked before its data is read, so that a run in the wrong state is
     * told so rather than about its data. {@link #takeOver} decides, in one conditional update.
     *
     * @throws ResumeException when the run does not exist or is not interrupted or cancelled
     */
    public static Run resumable(Store store, long runId) {
        Run run = store.run(runId).orElseThrow(() -> new ResumeException("there is no run " + runId));
        if (run.status() != RunStatus.INTERRUPTED && run.status() != RunStatus.CANCELLED) {
            throw notResumable(runId, run.status());
        }
        return run;
    }

    private static ResumeException notResumable(long runId, RunStatus now) {
        return new ResumeException("run " + runId + " is " + now.name().toLowerCase(Locale.ROOT)
                + (now == RunStatus.RUNNING ? " (its process is alive: it wrote a heartbeat recently)" : "")
                + "; only an interrupted or cancelled run can be resumed");
    }

    /** A run's space as it was run: its stored YAML with the stored command-line overrides applied. */
    public static SpaceSpec storedSpec(Run run) {
        Map<String, Object> resolved = readJson(run.resolvedSpace());
        // Relative data paths mean what they meant when the run was launched, wherever this process runs.
        Object spaceDir = resolved.get("space_dir");
        SpaceSpec spec = SpaceParser.parse(run.spaceYaml(), "run " + run.id() + "'s space",
                spaceDir == null ? Path.of("") : Path.of((String) spaceDir), io.hpsearch.data.DataPaths.ANY);
        Map<?, ?> training = (Map<?, ?>) resolved.get("training");
        return spec.withMaxTrials(run.maxTrials()).withSeed(run.seed()).withTraining(spec.training()
                .withEpochs(((Number) training.get("epochs")).intValue())
                .withTrainLimit(((Number) training.get("train_limit")).intValue()));
    }

    /**
     * Starts a QUEUED run and runs it to the end, or until cancelled here or through {@link Store#requestCancel} by
     * any process. A run that is no longer queued (cancelled before its turn, or started by another process) is left
     * as it is.
     */
    public Outcome run(long runId, SpaceSpec spec) {
        if (!store.startRun(runId)) {
            Run now = store.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
            return new Outcome(runId, now.status(), now.message(), Optional.empty(),
                    new Throughput(0, 0, workers, threads));
        }
        TrainingData prepared;
        try {
            prepared = prepare(data, spec);
        } catch (DataException e) {
            store.finishRun(runId, RunStatus.FAILED, e.getMessage());
            return new Outcome(runId, RunStatus.FAILED, e.getMessage(), Optional.empty(),
                    new Throughput(0, 0, workers, threads));
        }
        return runStarted(runId, spec, prepared);
    }

    /** Runs a run this process has just taken to RUNNING. */
    private Outcome runStarted(long runId, SpaceSpec spec, TrainingData prepared) {
        store.saveRunData(runId, toJson(prepared.record()));
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hpsearch-cancel-watcher");
            t.setDaemon(true);
            return t;
        });
        // Every second: tell other processes this run is alive (see Store.interruptStale), and see whether any of
        // them asked it to stop.
        watcher.scheduleWithFixedDelay(() -> {
            store.heartbeat(runId);
            if (store.cancelRequested(runId)) {
                cancel();
            }
        }, 1, 1, TimeUnit.SECONDS);
        try {
            return execute(runId, spec, prepared);
        } catch (RuntimeException | Error e) {
            store.cancelRunningTrials(runId);
            store.finishRun(runId, RunStatus.FAILED, "hpsearch stopped on an internal error: " + e);
            throw e;
        } finally {
            stopWatcher(watcher);
        }
    }

    /**
     * Lets the watcher finish the heartbeat it may be writing, rather than interrupting it: an interrupt in the middle
     * of a database write closes H2's file channel, and a dashboard's store stayed broken for every later request
     * (found by the search benchmark, which runs many searches on one store).
     */
    private static void stopWatcher(ScheduledExecutorService watcher) {
        watcher.shutdown();
        try {
            if (!watcher.awaitTermination(30, TimeUnit.SECONDS)) {
                watcher.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Outcome execute(long runId, SpaceSpec spec, TrainingData prepared) {
        int planned = Samplers.plannedTrials(spec);
        listener.runStarted(runId, spec.name(), planned);
        TrialTrainer trainer = new TrialTrainer(prepared.train(), prepared.validation(), prepared.shape(),
                prepared.classes().size());
        NativeThreads.configure(threads); // for the test evaluation, which runs on this thread

        Coordinator coordinator = new Coordinator(runId, spec, planned, prepared);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "hpsearch-worker");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    NativeThreads.configure(threads);
                    work(coordinator, trainer, spec);
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        } catch (ExecutionException e) {
            cancel();
            throw new IllegalStateException("a worker stopped unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            // Not shutdownNow: an interrupt during a store write closes H2's file channel (see stopWatcher). The
            // workers stop at their next minibatch once cancel() is set, as it is on every way out but the normal
            // one, where they have all finished.
            pool.shutdown();
            try {
                if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Throughput throughput = new Throughput(coordinator.examplesTrained(), (System.nanoTime() - start) / 1e9,
                workers, threads);
        return finish(runId, coordinator, throughput, prepared);
    }

    /** A worker: takes the next candidate and trains it, until there is none or the run is cancelled. */
    private void work(Coordinator coordinator, TrialTrainer trainer, SpaceSpec spec) {
        Optional<Assignment> next;
        while (!cancelled.get() && (next = coordinator.next()).isPresent()) {
            Trial trial = next.get().trial();
            TrialParams params = next.get().params();
            listener.trialStarted(trial.number(), params);
            try {
                TrialOutcome outcome = trainExecutions(coordinator, trainer, spec, trial, params);
                // The new best model is on disk before the store says the trial completed, and the old one is
                // deleted only after: whenever the process dies, the store's best trial has its model file.
                Coordinator.Superseded superseded = coordinator.completed(trial.number(), outcome.score(),
                        outcome.best().network());
                store.completeTrial(trial.id(), outcome.score(), outcome.scoreStd(), outcome.first().bestEpoch(),
                        outcome.first().stoppedEpoch());
                superseded.release();
                listener.trialFinished(trial.number(), TrialState.COMPLETED, outcome.score(), null);
            } catch (TrialPrunedException e) {
                coordinator.pruned();
                String reason = "pruned after epoch " + e.epoch() + " by the " + spec.options().pruner().type()
                        + " pruner: its " + spec.objective().key() + " trailed the other trials'";
                double last = spec.objective().of(e.last());
                store.pruneTrial(trial.id(), e.epoch(), last, reason);
                listener.trialFinished(trial.number(), TrialState.PRUNED, last, reason);
            } catch (CancellationException e) {
                String reason = "cancelled by the user";
                store.finishTrial(trial.id(), TrialState.CANCELLED, null, reason);
                listener.trialFinished(trial.number(), TrialState.CANCELLED, null, reason);
            } catch (TrialFailedException e) {
                fail(coordinator, trial, e.getMessage());
            } catch (RuntimeException | OutOfMemoryError e) {
                fail(coordinator, trial, "unexpected error: " + e);
            }
        }
    }

    /**
     * Trains the trial executions_per_trial times, each with its own seed; every execution's epochs are stored as
     * they end. The score is the mean of the executions' scores.
     */
    private TrialOutcome trainExecutions(Coordinator coordinator, TrialTrainer trainer, SpaceSpec spec, Trial trial,
                                         TrialParams params) {
        int executions = spec.training().executions();
        List<TrialTrainer.Result> results = new ArrayList<>();
        double[] scores = new double[executions];
        for (int e = 1; e <= executions; e++) {
            int execution = e;
            TrialTrainer.Result result = trainer.train(params, trialSeed(spec.seed(), trial.number(), execution),
                    spec.training(), new TrainingListener() {
                        @Override
                        public void epochEnded(EpochMetrics metrics) {
                            EpochMetrics stored = metrics.withExecution(execution);
                            store.recordEpoch(trial.id(), stored);
                            coordinator.epochTrained(trainer.trainingExamples());
                            listener.epochEnded(trial.number(), stored);
                        }

                        @Override
                        public void batchEnded(int epoch, int batchesDone, int batchesPerEpoch) {
                            listener.batchEnded(trial.number(), epoch, batchesDone, batchesPerEpoch);
                        }
                    }, cancelled::get, execution == 1 ? List.of(coordinator.pruning(trial.number(), params))
                            : List.of());
            results.add(result);
            scores[e - 1] = spec.objective().of(result.best());
        }
        TrialOutcome outcome = TrialOutcome.of(results, scores, spec.objective());
        results.stream().filter(r -> r != outcome.best()).forEach(r -> r.network().close());
        return outcome;
    }

    private void fail(Coordinator coordinator, Trial trial, String reason) {
        coordinator.failed(reason);
        store.finishTrial(trial.id(), TrialState.FAILED, null, reason);
        listener.trialFinished(trial.number(), TrialState.FAILED, null, reason);
    }

    /**
     * Distinct, reproducible seeds per trial and execution: the same space and seed give the same initial weights,
     * batches and augmentation.
     */
    static long trialSeed(long runSeed, int trialNumber, int execution) {
        return runSeed * 1_000_003L + trialNumber + (execution - 1) * 1_000_000_007L;
    }

    private Outcome finish(long runId, Coordinator coordinator, Throughput throughput, TrainingData prepared) {
        if (cancelled.get()) {
            store.cancelRunningTrials(runId);
            String message = "cancelled by the user after " + coordinator.completed() + " completed trial(s)";
            store.finishRun(runId, RunStatus.CANCELLED, message);
            return new Outcome(runId, RunStatus.CANCELLED, message, Optional.empty(), throughput);
        }
        Optional<Coordinator.Best> best = coordinator.best();
        Optional<String> failureStop = coordinator.failureStop();
        if (best.isEmpty()) {
            String message = failureStop.orElse("no trial completed: every trial failed")
                    + " (see the trials' failure reasons)";
            store.finishRun(runId, RunStatus.FAILED, message);
            return new Outcome(runId, RunStatus.FAILED, message, Optional.empty(), throughput);
        }
        listener.testStarting(best.get().trialNumber());
        MultiLayerNetwork network = best.get().network();
        if (network == null) {
            try {
                network = ModelFile.network(best.get().path());
            } catch (IOException e) {
                String message = "cannot read the best trial's model " + best.get().path() + " (" + e.getMessage()
                        + "); its trial " + best.get().trialNumber() + " is recorded, the test evaluation is not";
                store.finishRun(runId, RunStatus.FAILED, message);
                return new Outcome(runId, RunStatus.FAILED, message, Optional.empty(), throughput);
            }
        }
        TestEvaluation test = TestEvaluator.evaluate(network, prepared.test(), prepared.classes(),
                runId, best.get().trialNumber(), best.get().path().toString());
        store.saveTestEvaluation(test);
        listener.testEvaluated(test);
        String message = coordinator.completed() + " trial(s) completed; best: trial " + best.get().trialNumber()
                + failureStop.map(stop -> "; " + stop).orElse("")
                + coordinator.exhaustedStop().map(stop -> "; " + stop).orElse("");
        store.finishRun(runId, RunStatus.COMPLETED, message);
        return new Outcome(runId, RunStatus.COMPLETED, message, Optional.of(test), throughput);
    }

    /**
     * The run's best model file: the one its test evaluation used, or, before that, its best completed trial's.
     * Empty while no trial has completed.
     */
    public static Optional<Path> bestModel(Store store, Path modelDir, long runId) {
        return store.testEvaluation(runId).map(e -> Path.of(e.modelPath()))
                .or(() -> store.rankedTrials(runId, 1).stream().filter(t -> t.state() == TrialState.COMPLETED)
                        .findFirst().map(t -> modelPath(modelDir, runId, t.number())));
    }

    /** Where a trial's model file is kept while it is its run's best. */
    public static Path modelPath(Path modelDir, long runId, int trialNumber) {
        return modelDir.resolve("run-" + runId).resolve("trial-" + trialNumber + ".zip");
    }

    /** Deletes a file that is no longer needed; one left behind costs only disk space, so failures are ignored. */
    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // an outdated model file stays on disk
        }
    }

    private static Map<String, Object> readJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable: " + json, e);
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A trial row just started in the store, with the parameters it trains. */
    private record Assignment(Trial trial, TrialParams params) {
    }

    /**
     * Hands out trials one at a time and keeps the best network. Shared by the workers, so synchronized. It starts
     * from what the store holds for the run, so a resumed run goes on where it stopped.
     */
    private final class Coordinator {
        /** @param network null until needed when the best trial was trained by an earlier process */
        record Best(int trialNumber, double score, MultiLayerNetwork network, Path path) {
        }

        private final long runId;
        private final SpaceSpec spec;
        private final Sampler sampler;
        private final Pruner pruner;
        private final int planned;
        private final TrainingData data;
        /** Trials cut off by a crash or a cancel: trained again, under their numbers, before any new one. */
        private final Deque<Trial> retrain = new ArrayDeque<>();
        private int issued;
        private int nextNumber = 1;
        private int completed;
        private long examplesTrained;
        private int consecutiveFailures;
        /** The sampler had no new network before the run had its planned trials. */
        private boolean exhausted;
        private String lastFailure;
        private Best best;

        Coordinator(long runId, SpaceSpec spec, int planned, TrainingData data) {
            this.runId = runId;
            this.spec = spec;
            this.planned = planned;
            this.data = data;
            for (Trial t : store.trials(runId)) {
                nextNumber = Math.max(nextNumber, t.number() + 1);
                switch (t.state()) {
                    case COMPLETED -> {
                        issued++;
                        completed++;
                        if (best == null || spec.objective().beats(t.score(), best.score(), 0)) {
                            best = new Best(t.number(), t.score(), null, modelPath(t.number()));
                        }
                    }
                    case FAILED, PRUNED -> issued++;
                    case RUNNING -> throw new ResumeException("trial " + t.number() + " of run " + runId
                            + " is still running in another process");
                    case INTERRUPTED, CANCELLED -> retrain.add(t);
                }
            }
            this.pruner = Pruners.of(spec.options().pruner(), spec.objective());
            this.sampler = Samplers.forRun(spec, Math.max(0, planned - issued - retrain.size()),
                    params -> NetworkCost.forwardMacs(params, data.shape(), data.classes().size()), history());
        }

        synchronized Optional<Assignment> next() {
            if (cancelled.get() || tooManyFailures()) {
                return Optional.empty();
            }
            Trial again = retrain.poll();
            if (again != null) {
                issued++;
                Trial restarted = store.restartUnfinishedTrial(again.id()).orElseThrow(() -> new ResumeException(
                        "trial " + again.number() + " of run " + runId + " was taken over by another process"));
                return Optional.of(new Assignment(restarted, TrialParams.fromMap(readJson(again.params()))));
            }
            if (issued >= planned) {
                return Optional.empty();
            }
            Optional<TrialParams> candidate = sampler.next(history());
            if (candidate.isEmpty()) {
                exhausted = true;
                return Optional.empty();
            }
            issued++;
            return Optional.of(start(nextNumber++, candidate.get()));
        }

        private Assignment start(int number, TrialParams params) {
            return new Assignment(store.startTrial(runId, number, toJson(params.asMap()), params.key()), params);
        }

        private Path modelPath(int trialNumber) {
            return SearchRunner.modelPath(modelDir, runId, trialNumber);
        }

        /**
         * What a completed trial made unnecessary: the network that is not the best (its own, or the previous best)
         * and the previous best's model file. Nullable fields.
         */
        record Superseded(MultiLayerNetwork network, Path modelFile) {
            /**
             * Frees the network's native memory at once, rather than whenever the garbage collector gets to it
             * (which let a long run's memory grow), and deletes the model file.
             */
            void release() {
                if (network != null) {
                    network.close();
                }
                if (modelFile != null) {
                    deleteQuietly(modelFile);
                }
            }
        }

        /**
         * Counts a completed trial and, if it is the best so far, writes its network to disk at once (for crashes).
         * The caller releases what it supersedes once the store has recorded the trial.
         */
        synchronized Superseded completed(int trialNumber, double score, MultiLayerNetwork network) {
            completed++;
            consecutiveFailures = 0;
            if (best != null && !spec.objective().beats(score, best.score(), 0)) {
                return new Superseded(network, null);
            }
            Path path = modelPath(trialNumber);
            // Everything predicting needs goes in the one file: the network, the input encoding, the classes.
            ModelFile.write(path, network, data.encoding(), data.classes(), data.record());
            Superseded superseded = best == null ? new Superseded(null, null)
                    : new Superseded(best.network(), best.path().equals(path) ? null : best.path());
            best = new Best(trialNumber, score, network, path);
            return superseded;
        }

        /**
         * The run's trials as the store has them, with their learning curves: what the sampler and the pruner
         * weigh. Read afresh each time, so other workers' epochs count as soon as they are stored.
         */
        List<TrialRecord> history() {
            Map<Long, double[]> learning = store.learningCurves(runId, spec.objective());
            List<TrialRecord> out = new ArrayList<>();
            for (Trial t : store.trials(runId)) {
                out.add(new TrialRecord(t.number(), TrialParams.fromMap(readJson(t.params())), t.state(), t.score(),
                        learning.getOrDefault(t.id(), new double[0])));
            }
            return out;
        }

        /** The pruner, as a rule asked after each epoch of a trial's first execution. */
        EpochRule pruning(int trialNumber, TrialParams params) {
            if (pruner == Pruner.NONE) {
                return epochs -> EpochRule.Decision.CONTINUE;
            }
            return epochs -> {
                if (epochs.size() >= spec.training().epochs()) {
                    // The trial has trained all it will: pruning it now saves nothing, and would rank a finished
                    // network below the completed ones.
                    return EpochRule.Decision.CONTINUE;
                }
                double[] values = epochs.stream().mapToDouble(spec.objective()::of).toArray();
                TrialRecord trial = new TrialRecord(trialNumber, params, TrialState.RUNNING, null, values);
                List<TrialRecord> others = history().stream().filter(t -> t.number() != trialNumber).toList();
                return pruner.prune(trial, others) ? EpochRule.Decision.PRUNE : EpochRule.Decision.CONTINUE;
            };
        }

        /** Counts a pruned trial: not a failure, so it ends a run of failures. */
        synchronized void pruned() {
            consecutiveFailures = 0;
        }

        /** Counts a failed trial; enough of them in a row stop the run from handing out more. */
        synchronized void failed(String reason) {
            consecutiveFailures++;
            lastFailure = reason;
        }

        synchronized boolean tooManyFailures() {
            return consecutiveFailures >= spec.maxConsecutiveFailures();
        }

        /** Why the run has fewer trials than planned because its space ran out, or empty. */
        synchronized Optional<String> exhaustedStop() {
            return exhausted ? Optional.of("the space has no other network to try (" + issued + " of the "
                    + planned + " planned trials)") : Optional.empty();
        }

        /** Why the run stopped early, or empty when it did not stop for failures. */
        synchronized Optional<String> failureStop() {
            return tooManyFailures() ? Optional.of("stopped after " + consecutiveFailures + " trials in a row failed "
                    + "(max_consecutive_failures: " + spec.maxConsecutiveFailures() + "); the last one: "
                    + lastFailure) : Optional.empty();
        }

        synchronized void epochTrained(int examples) {
            examplesTrained += examples;
        }

        synchronized long examplesTrained() {
            return examplesTrained;
        }

        synchronized int completed() {
            return completed;
        }

        synchronized Optional<Best> best() {
            return Optional.ofNullable(best);
        }
    }
}
