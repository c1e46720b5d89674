package io.hpsearch.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.data.DataException;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.InputShape;
import io.hpsearch.data.Split;
import io.hpsearch.data.TrainingData;
import io.hpsearch.model.ModelFile;
import io.hpsearch.pruner.Pruner;
import io.hpsearch.pruner.Pruners;
import io.hpsearch.sampler.Sampler;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.ModelType;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.LearningCurve;
import io.hpsearch.store.NewRun;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.StoreUnavailableException;
import io.hpsearch.store.StoredModel;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialCheckpoint;
import io.hpsearch.store.TrialState;
import io.hpsearch.trainer.CheckpointException;
import io.hpsearch.trainer.EpochRule;
import io.hpsearch.trainer.NativeThreads;
import io.hpsearch.trainer.Net;
import io.hpsearch.trainer.NetworkCost;
import io.hpsearch.trainer.TestEvaluator;
import io.hpsearch.trainer.TrainingListener;
import io.hpsearch.trainer.TrialFailedException;
import io.hpsearch.trainer.TrialPrunedException;
import io.hpsearch.trainer.TrialTrainer;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import java.util.function.Supplier;

/**
 * Runs one tuning run: draws candidates, trains them on a pool of workers, records everything in the store as it
 * happens, then evaluates the best network once on the test set.
 */
public final class SearchRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How often a worker writes its heartbeat, and how often it looks for trials of workers that died. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration SWEEP = Duration.ofSeconds(5);

    private final Store store;
    private final Dataset data;
    private final ParallelismPolicy parallelism;
    private final RunListener listener;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /**
     * Set when the database stayed unreachable past the store's retries: the workers stop at their next minibatch
     * and write nothing, leaving their trials running in the store, as a process that died would; the run's silent
     * heartbeat hands them to other workers, or to a resume.
     */
    private final AtomicBoolean abandoned = new AtomicBoolean();
    /** How long a worker may stay silent before its trial counts as interrupted (--heartbeat-grace's default). */
    public static final Duration DEFAULT_HEARTBEAT_GRACE = Duration.ofSeconds(30);
    private Duration heartbeatGrace = DEFAULT_HEARTBEAT_GRACE;
    private Long workerId;

    /**
     * @param data     the run's data, as its space's {@code dataset:} names it, read once
     * @param workers  trials trained side by side in this process
     * @param threads  ND4J native threads per worker (see {@link NativeThreads})
     */
    public SearchRunner(Store store, Dataset data, int workers, int threads, RunListener listener) {
        this(store, data, ParallelismPolicy.fixed(workers, threads), listener);
    }

    /**
     * @param parallelism chooses each run's workers and threads in this process (see {@link Calibration})
     */
    public SearchRunner(Store store, Dataset data, ParallelismPolicy parallelism, RunListener listener) {
        this.store = store;
        this.data = data;
        this.parallelism = parallelism;
        this.listener = listener;
    }

    /**
     * How long a worker may go without a heartbeat before its trials count as interrupted and other workers retrain
     * them (default 30 seconds).
     */
    public SearchRunner heartbeatGrace(Duration grace) {
        this.heartbeatGrace = grace;
        return this;
    }

    /** This process as a worker of the store: registered on first use, with its host and process id. */
    private synchronized long workerId() {
        if (workerId == null) {
            workerId = store.registerWorker(Host.name(), ProcessHandle.current().pid());
        }
        return workerId;
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
        Split.checkTrainLimit(spec.training().trainLimit(), data.classes().size());
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
     * @throws DataMismatchException naming the file that changed
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
                throw new DataMismatchException(file.get("path") + " changed since run " + runId + " started (SHA-256 "
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
        // With its time spent a resumed run trains nothing: with a completed trial it still evaluates the best on
        // the test set and ends; without one it could only end failed, so it is refused as it stands.
        if (store.timeLeft(runId).filter(Duration::isZero).isPresent()
                && store.trials(runId).stream().noneMatch(t -> t.state() == TrialState.COMPLETED)) {
            String minutes = storedSpec(run).timeBudget().map(SpaceSpec::minutesText).orElse("?");
            throw new ResumeException("run " + runId + "'s time budget (max_minutes: " + minutes + ") ran out before "
                    + "any trial completed, so a resume would train nothing; start a new run of its space with a "
                    + "larger max_minutes (run --max-minutes M)");
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
        SpaceSpec spec = SpaceParser.parseStored(run.spaceYaml(), "run " + run.id() + "'s space",
                spaceDir == null ? Path.of("") : Path.of((String) spaceDir));
        Map<?, ?> training = (Map<?, ?>) resolved.get("training");
        SpaceSpec stored = spec.withMaxTrials(run.maxTrials()).withSeed(run.seed()).withTraining(spec.training()
                .withEpochs(((Number) training.get("epochs")).intValue())
                .withTrainLimit(((Number) training.get("train_limit")).intValue()));
        Object minutes = resolved.get("max_minutes");
        return minutes == null ? stored
                : stored.withTimeBudget(SpaceSpec.ofMinutes(((Number) minutes).doubleValue()));
    }

    /**
     * Starts a QUEUED run and runs it to the end, or until cancelled here or through {@link Store#requestCancel} by
     * any process. A run that is no longer queued (cancelled before its turn, or started by another process) is left
     * as it is.
     */
    public Outcome run(long runId, SpaceSpec spec) {
        // Cancelled (Ctrl-C) before it began: the run stays queued for another process, untouched.
        if (cancelled.get() || !store.startRun(runId)) {
            Run now = store.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
            return new Outcome(runId, now.status(), now.message(), Optional.empty(),
                    Throughput.NONE);
        }
        TrainingData prepared;
        try {
            prepared = prepare(data, spec);
        } catch (DataException e) {
            store.finishRun(runId, RunStatus.FAILED, e.getMessage());
            return new Outcome(runId, RunStatus.FAILED, e.getMessage(), Optional.empty(),
                    Throughput.NONE);
        }
        return runStarted(runId, spec, prepared);
    }

    /**
     * Joins a run that other processes (on this machine or others) work on: trains its trials alongside them until
     * none is left, then returns what the run came to (the last worker evaluates it on the test set). Checks first
     * that this machine's data are the run's.
     *
     * @throws ResumeException when the run does not exist, is not running, or its data differ here
     */
    public Outcome join(long runId) {
        Run run = store.run(runId).orElseThrow(() -> new ResumeException("there is no run " + runId));
        if (run.status() != RunStatus.RUNNING) {
            throw new ResumeException("run " + runId + " is " + run.status().name().toLowerCase(Locale.ROOT)
                    + "; a worker joins running runs only");
        }
        checkSameData(store, runId, data.files());
        SpaceSpec spec = storedSpec(run);
        // Workers drawing from one seed would propose the same networks in the same order; each joiner draws its
        // own sequence (the run's first process keeps the run's seed, so one process alone is reproducible).
        return work(runId, spec.withSeed(spec.seed() + 7919L * workerId()), prepare(data, spec), false);
    }

    /** Runs a run this process has just taken to RUNNING. */
    private Outcome runStarted(long runId, SpaceSpec spec, TrainingData prepared) {
        store.saveRunData(runId, toJson(prepared.record()));
        return work(runId, spec, prepared, true);
    }

    /**
     * Trains the run's trials on this process's workers, writing a heartbeat every second (the database's clock
     * decides liveness) and sweeping for workers that died, until the run has no trial left to hand out; then
     * finishes it, unless another worker does.
     *
     * @param first whether this process started or resumed the run (it retrains the trials cut off before)
     */
    private Outcome work(long runId, SpaceSpec spec, TrainingData prepared, boolean first) {
        long worker = workerId();
        AtomicBoolean onRun = new AtomicBoolean(true);
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hpsearch-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long sweepEvery = SWEEP.toMillis() / HEARTBEAT.toMillis();
        long[] beats = {0};
        watcher.scheduleWithFixedDelay(() -> {
            try {
                store.workerHeartbeat(worker, onRun.get() ? runId : null);
                if (++beats[0] % sweepEvery == 0) {
                    store.interruptStale(heartbeatGrace);
                }
                if (store.cancelRequested(runId)) {
                    cancel();
                }
            } catch (RuntimeException e) {
                // The database is unreachable for longer than the store retries: the next beat tries again, and
                // meanwhile other workers may count this one as dead, which is what it is to them.
            }
        }, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return execute(runId, spec, prepared, first, onRun);
        } catch (StoreUnavailableException e) {
            throw e; // nothing can be written: the run is left to its heartbeat, never failed for an outage
        } catch (RuntimeException | Error e) {
            store.cancelRunningTrials(runId);
            store.finishRun(runId, RunStatus.FAILED, "hpsearch stopped on an internal error: " + e);
            throw e;
        } finally {
            // No write after the run's last one on this thread: a dashboard closing as the run ends interrupts it,
            // and an interrupt during an H2 write closes the database (see stopWatcher).
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

    private Outcome execute(long runId, SpaceSpec spec, TrainingData prepared, boolean first, AtomicBoolean onRun) {
        int planned = Samplers.plannedTrials(spec);
        listener.runStarted(runId, spec.name(), planned);
        Parallelism chosen = parallelism.choose(spec, prepared, planned);
        listener.parallelismChosen(chosen);
        int workers = chosen.workers();
        int threads = chosen.threads();
        TrialTrainer trainer = new TrialTrainer(prepared.train(), prepared.validation(), prepared.shape(),
                prepared.classes().size());
        NativeThreads.configure(threads); // for the test evaluation, which runs on this thread

        Coordinator coordinator = new Coordinator(runId, spec, planned, prepared, first);
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
                    try {
                        work(coordinator, trainer, spec);
                    } catch (StoreUnavailableException e) {
                        abandoned.set(true);
                        throw e;
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreUnavailableException outage) {
                throw outage;
            }
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
        return finish(runId, spec, coordinator, throughput, prepared, onRun);
    }

    /**
     * A worker thread: takes the next trial and trains it, waits while other workers' last trials may still need a
     * retry, and stops when the run has nothing left or is cancelled.
     */
    private void work(Coordinator coordinator, TrialTrainer trainer, SpaceSpec spec) {
        while (!cancelled.get() && !abandoned.get()) {
            Coordinator.Next next = coordinator.next();
            if (next instanceof Coordinator.Done) {
                return;
            }
            if (next instanceof Coordinator.Wait wait) {
                coordinator.awaitTrialEnd(wait, HEARTBEAT);
                continue;
            }
            Assignment assignment = (Assignment) next;
            Trial trial = assignment.trial();
            TrialParams params = assignment.params();
            listener.trialStarted(trial.number(), params);
            try {
                train(coordinator, trainer, spec, trial, params);
            } finally {
                coordinator.trialEnded();
            }
        }
    }

    /** One trial, trained and ended in the store: completed, pruned, failed, cancelled, or left to another worker. */
    private void train(Coordinator coordinator, TrialTrainer trainer, SpaceSpec spec, Trial trial, TrialParams params) {
        try {
            TrialOutcome outcome = trainExecutions(coordinator, trainer, spec, trial, params);
            // The trial completes and, if it is the run's best, its network becomes the run's model, in one
            // transaction: whenever a process dies, the store's best trial has its model.
            boolean recorded = store.completeTrial(trial, workerId(), outcome.score(), outcome.scoreStd(),
                    outcome.first().bestEpoch(), outcome.first().stoppedEpoch(),
                    () -> ModelFile.bytes(outcome.best().network(), coordinator.data.encoding(),
                            coordinator.data.classes(), coordinator.data.record()));
            outcome.best().network().close();
            if (recorded) {
                listener.trialFinished(trial.number(), TrialState.COMPLETED, outcome.score(), null);
            } else {
                listener.trialLeft(trial.number(), lostNote(trial));
            }
        } catch (TrialPrunedException e) {
            // The training time too: under rungs in minutes it, not the epoch, is what the pruner judged by.
            double s = e.trainedSeconds();
            String trained = s < 120 ? String.format(Locale.ROOT, "%.0f s", s)
                    : String.format(Locale.ROOT, "%.1f minutes", s / 60);
            String reason = "pruned after epoch " + e.epoch() + " (" + trained + " of training) by the "
                    + spec.options().pruner().type() + " pruner: its " + spec.objective().key()
                    + " trailed the other trials'";
            double last = spec.objective().of(e.last());
            if (store.pruneOwnTrial(trial.id(), workerId(), e.epoch(), last, reason)) {
                listener.trialFinished(trial.number(), TrialState.PRUNED, last, reason);
            } else {
                listener.trialLeft(trial.number(), lostNote(trial));
            }
        } catch (TrialLostException e) {
            listener.trialLeft(trial.number(), lostNote(trial));
        } catch (CancellationException e) {
            if (!abandoned.get()) {
                end(trial, TrialState.CANCELLED, "cancelled by the user");
            }
        } catch (StoreUnavailableException e) {
            throw e; // not the trial's failure: it stays running in the store, to be trained again
        } catch (TrialFailedException e) {
            end(trial, TrialState.FAILED, e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            end(trial, TrialState.FAILED, "unexpected error: " + e);
        }
    }

    private static String lostNote(Trial trial) {
        return "trial " + trial.number() + " is no longer this worker's (it was silent longer than the heartbeat "
                + "grace and another worker took the trial over, or the run ended it); this one leaves it";
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        }
    }

    /**
     * Trains the trial executions_per_trial times, each with its own seed; every execution's epochs are stored as
     * they end. The score is the mean of the executions' scores. A trial with a checkpoint (it was interrupted)
     * continues after the checkpoint's epoch.
     */
    private TrialOutcome trainExecutions(Coordinator coordinator, TrialTrainer trainer, SpaceSpec spec, Trial trial,
                                         TrialParams params) {
        int executions = spec.training().executions();
        List<TrialTrainer.Result> results = new ArrayList<>();
        double[] scores = new double[executions];
        for (int e = 1; e <= executions; e++) {
            int execution = e;
            Optional<TrialCheckpoint> checkpoint = spec.training().checkpoints()
                    ? store.checkpoint(trial.id()) : Optional.empty();
            checkpoint.ifPresent(c -> listener.trialNote(trial.number(), "trial " + trial.number()
                    + " continues from its checkpoint after epoch " + c.epoch()));
            TrialTrainer.Result result;
            try {
                result = trainExecution(coordinator, trainer, spec, trial, params, execution, checkpoint);
            } catch (CheckpointException unreadable) {
                if (!store.discardOwnCheckpoint(trial.id(), workerId())) {
                    throw new TrialLostException();
                }
                listener.trialNote(trial.number(), "trial " + trial.number() + " trains again from scratch: its "
                        + "checkpoint cannot continue it (" + unreadable.getMessage() + ")");
                result = trainExecution(coordinator, trainer, spec, trial, params, execution, Optional.empty());
            }
            results.add(result);
            scores[e - 1] = spec.objective().of(result.best());
            if (e < executions && coordinator.budgetSpent()) {
                // The run's time is up: the trial scores by the executions it trained.
                scores = java.util.Arrays.copyOf(scores, e);
                break;
            }
        }
        TrialOutcome outcome = TrialOutcome.of(results, scores, spec.objective());
        results.stream().filter(r -> r != outcome.best()).forEach(r -> r.network().close());
        return outcome;
    }

    /**
     * One execution, its epochs stored as they end; with checkpoints, the training state is stored after an epoch the
     * trial goes on from, once {@code checkpoint_minutes} have passed since the last one (or since the execution
     * started).
     *
     * @throws TrialLostException when the trial stopped being this worker's
     */
    private TrialTrainer.Result trainExecution(Coordinator coordinator, TrialTrainer trainer, SpaceSpec spec,
                                               Trial trial, TrialParams params, int execution,
                                               Optional<TrialCheckpoint> from) {
        long interval = (long) (spec.training().checkpointMinutes() * 60e9);
        return trainer.train(params, trialSeed(spec.seed(), trial.number(), execution), spec.training(),
                new TrainingListener() {
                    private long last = System.nanoTime();
                    private final boolean checkpoints = spec.training().checkpoints();
                    private boolean refused;

                    @Override
                    public void epochEnded(EpochMetrics metrics) {
                        EpochMetrics stored = metrics.withExecution(execution);
                        if (!store.recordOwnEpoch(trial.id(), workerId(), stored)) {
                            throw new TrialLostException();
                        }
                        coordinator.epochTrained(trainer.trainingExamples());
                        listener.epochEnded(trial.number(), stored);
                    }

                    @Override
                    public void continuing(EpochMetrics metrics, Supplier<byte[]> state) {
                        if (!checkpoints || System.nanoTime() - last < interval) {
                            return;
                        }
                        last = System.nanoTime();
                        boolean own;
                        try {
                            own = store.saveCheckpoint(trial.id(), workerId(),
                                    new TrialCheckpoint(execution, metrics.epoch(), state.get()));
                        } catch (RuntimeException | OutOfMemoryError e) {
                            // Too large for the database or the heap, or a passing store error: the trial trains on
                            // and tries again after the next interval; the user hears of it once.
                            if (!refused) {
                                refused = true;
                                listener.trialNote(trial.number(), "trial " + trial.number() + " could not store "
                                        + "a checkpoint after epoch " + metrics.epoch() + " (" + e + "); it trains "
                                        + "on, and tries again every checkpoint_minutes");
                            }
                            return;
                        }
                        if (!own) {
                            throw new TrialLostException();
                        }
                    }

                    @Override
                    public void batchEnded(int epoch, int batchesDone, int batchesPerEpoch) {
                        listener.batchEnded(trial.number(), epoch, batchesDone, batchesPerEpoch);
                    }
                }, () -> cancelled.get() || abandoned.get(), execution == 1
                        ? List.of(coordinator.pruning(trial.number(), params), coordinator.timeBudget())
                        : List.of(coordinator.timeBudget()),
                from.map(TrialCheckpoint::state));
    }

    /**
     * The trial is no longer this worker's: it was silent longer than the heartbeat grace, and another worker took
     * the trial over (or the run ended it). This worker drops it and writes nothing more for it.
     */
    private static final class TrialLostException extends RuntimeException {
        TrialLostException() {
            super(null, null, false, false);
        }
    }

    /**
     * Fails or cancels the worker's trial. Refused, it reports what the store holds: the trial as another process
     * ended it (a run cancelled by another process cancels every running trial), or, when another worker took it
     * over, that this one leaves it, with what would have ended it here.
     */
    private void end(Trial trial, TrialState state, String reason) {
        if (store.finishOwnTrial(trial.id(), workerId(), state, reason)) {
            listener.trialFinished(trial.number(), state, null, reason);
            return;
        }
        Optional<Trial> now = store.trial(trial.runId(), trial.number());
        if (now.isPresent() && now.get().state().isFinished()) {
            listener.trialFinished(trial.number(), now.get().state(), now.get().score(), now.get().failureReason());
        } else {
            listener.trialLeft(trial.number(), lostNote(trial) + " (here it " + (state == TrialState.FAILED
                    ? "failed: " : "was cancelled: ") + reason + ")");
        }
    }

    /**
     * Distinct, reproducible seeds per trial and execution: the same space and seed give the same initial weights,
     * batches and augmentation.
     */
    static long trialSeed(long runSeed, int trialNumber, int execution) {
        return runSeed * 1_000_003L + trialNumber + (execution - 1) * 1_000_000_007L;
    }

    /**
     * Ends this process's part in the run. On a cancel, the run is cancelled. Otherwise one worker, the first to find
     * no trial running or waiting for a retry, takes the run's finish: it evaluates the best network (from the store,
     * whoever trained it) on the test set and records the run's end; any other waits for that and reports it.
     */
    private Outcome finish(long runId, SpaceSpec spec, Coordinator coordinator, Throughput throughput,
                           TrainingData prepared, AtomicBoolean onRun) {
        if (cancelled.get()) {
            store.cancelRunningTrials(runId);
            String message = "cancelled by the user after " + completed(runId) + " completed trial(s)";
            store.finishRun(runId, RunStatus.CANCELLED, message);
            return new Outcome(runId, RunStatus.CANCELLED, message, Optional.empty(), throughput);
        }
        // Once the time budget is spent, a trial whose worker died is not trained again: it stays interrupted.
        boolean timeUp = coordinator.budgetSpent();
        if (!store.claimFinish(runId, workerId(), timeUp ? 0 : spec.maxRetries())) {
            // Another worker finishes the run: this one is no longer on it (so a finisher that dies lets the run go
            // stale and be resumed), and waits for the outcome.
            onRun.set(false);
            Run run;
            while (!(run = store.run(runId).orElseThrow()).status().isFinished() && !cancelled.get()) {
                sleep(HEARTBEAT);
            }
            return new Outcome(runId, run.status(), run.message(), store.testEvaluation(runId), throughput);
        }
        int unretried = timeUp ? 0 : store.failUnretried(runId, spec.maxRetries());
        long completed = completed(runId);
        Optional<String> failureStop = coordinator.failureStop();
        Optional<StoredModel> best = store.model(runId);
        if (best.isEmpty()) {
            String message = failureStop.or(() -> coordinator.budgetStop().map(stop -> "no trial completed: " + stop))
                    .orElse("no trial completed: every trial failed") + " (see the trials' failure reasons)";
            store.finishRun(runId, RunStatus.FAILED, message);
            return new Outcome(runId, RunStatus.FAILED, message, Optional.empty(), throughput);
        }
        int bestTrial = best.get().trialNumber();
        listener.testStarting(bestTrial);
        Net network;
        try {
            network = ModelFile.network(best.get().zip());
        } catch (IOException e) {
            String message = "cannot read the best trial's stored model (" + e.getMessage() + "); its trial "
                    + bestTrial + " is recorded, the test evaluation is not";
            store.finishRun(runId, RunStatus.FAILED, message);
            return new Outcome(runId, RunStatus.FAILED, message, Optional.empty(), throughput);
        }
        TestEvaluation test = TestEvaluator.evaluate(network, prepared.test(), prepared.classes(), runId, bestTrial,
                storedModelName(runId, bestTrial));
        network.close();
        store.saveTestEvaluation(test);
        listener.testEvaluated(test);
        String message = completed + " trial(s) completed; best: trial " + bestTrial
                + (unretried > 0 ? "; " + unretried + " trial(s) failed after their workers died "
                        + (spec.maxRetries() + 1) + " time(s)" : "")
                + failureStop.map(stop -> "; " + stop).orElse("")
                + coordinator.exhaustedStop().map(stop -> "; " + stop).orElse("")
                + coordinator.budgetStop().map(stop -> "; " + stop).orElse("");
        store.finishRun(runId, RunStatus.COMPLETED, message);
        return new Outcome(runId, RunStatus.COMPLETED, message, Optional.of(test), throughput);
    }

    private long completed(long runId) {
        return store.trials(runId).stream().filter(t -> t.state() == TrialState.COMPLETED).count();
    }

    /** How a test evaluation names the model it used: it is in the database, not in a file. */
    private static String storedModelName(long runId, int trialNumber) {
        return "run " + runId + ", trial " + trialNumber + " (in the database)";
    }

    /**
     * The run's best model file's bytes (a zip that {@code predict} reads): the one the store keeps, or, for a run
     * recorded before models were kept in the database, the file its test evaluation names. Empty while no trial has
     * completed.
     */
    public static Optional<byte[]> bestModel(Store store, long runId) {
        Optional<StoredModel> stored = store.model(runId);
        if (stored.isPresent()) {
            return Optional.of(stored.get().zip());
        }
        return store.testEvaluation(runId).map(e -> Path.of(e.modelPath())).filter(Files::isRegularFile)
                .map(file -> {
                    try {
                        return Files.readAllBytes(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the model file " + file + ": " + e.getMessage(), e);
                    }
                });
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
    private record Assignment(Trial trial, TrialParams params) implements Coordinator.Next {
    }

    /**
     * Hands this process's worker threads their trials. The store is the source of truth: trial numbers, the run's
     * counts and the history the sampler and the pruner weigh are read from it, so that workers in other processes
     * count as much as this one's. Synchronized, so that this process's threads ask the sampler one at a time.
     */
    private final class Coordinator {
        /** What a worker thread does next: train an {@link Assignment}, {@link Wait}, or stop ({@link Done}). */
        sealed interface Next permits Assignment, Wait, Done {
        }

        /**
         * Nothing to start now, but other workers' trials may still die and need a retry.
         *
         * @param endedBefore how many of this process's trials had ended when the worker was told to wait
         */
        record Wait(long endedBefore) implements Next {
        }

        record Done() implements Next {
        }

        private final long runId;
        private final SpaceSpec spec;
        private final Sampler sampler;
        private final Pruner pruner;
        private final int planned;
        private final TrainingData data;
        /** Trials cut off before the run was resumed: trained again, under their numbers, before any new one. */
        private final Deque<Trial> retrain = new ArrayDeque<>();
        private long examplesTrained;
        /**
         * Each trial's parameters, parsed once: a trial's parameters never change, and the pruner reads the history
         * after every epoch of every trial.
         */
        private final Map<Long, TrialParams> parsed = new java.util.concurrent.ConcurrentHashMap<>();
        /** The sampler had no new network before the run had its planned trials. */
        private boolean exhausted;
        /** Trials this process's workers have ended, however they ended: what a waiting worker wakes for. */
        private long trialsEnded;
        /** When the run's time budget ends, by the database's clock; null without one. */
        private final Instant deadline;

        Coordinator(long runId, SpaceSpec spec, int planned, TrainingData data, boolean first) {
            this.runId = runId;
            this.spec = spec;
            this.planned = planned;
            this.data = data;
            List<Trial> trials = store.trials(runId);
            if (first) {
                trials.stream().filter(t -> t.state() == TrialState.INTERRUPTED || t.state() == TrialState.CANCELLED)
                        .forEach(retrain::add);
            }
            this.pruner = Pruners.of(spec);
            this.deadline = spec.timeBudget().map(budget -> store.startTimeBudget(runId, budget)).orElse(null);
            this.sampler = Samplers.forRun(spec, Math.max(0, planned - trials.size()),
                    params -> NetworkCost.forwardMacs(params, data.shape(), data.classes().size()), history());
        }

        /** A worker of this process has ended its trial (its state is in the store): waiting workers look again. */
        synchronized void trialEnded() {
            trialsEnded++;
            notifyAll();
        }

        /**
         * Waits until a trial of this process ends after {@code wait} was decided, or for {@code timeout}: trials of
         * other processes are only seen by looking again. A fixed sleep here kept the last worker idle for up to the
         * whole timeout after the run's last trial (0.7-0.9 s of a 19-s run in bench/throughput).
         */
        synchronized void awaitTrialEnd(Wait wait, Duration timeout) {
            long until = System.nanoTime() + timeout.toNanos();
            try {
                long left;
                while (trialsEnded == wait.endedBefore() && !cancelled.get()
                        && (left = until - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
            }
        }

        synchronized Next next() {
            List<Trial> trials = store.trials(runId);
            if (cancelled.get() || FailureStreak.of(trials).count() >= spec.maxConsecutiveFailures()) {
                return new Done();
            }
            if (budgetSpent()) {
                // No trial starts, none is retried: wait for the running ones to stop after their epoch.
                boolean running = trials.stream().anyMatch(t -> t.state() == TrialState.RUNNING);
                return running ? new Wait(trialsEnded) : new Done();
            }
            Trial again = retrain.poll();
            while (again != null) {
                Optional<Trial> restarted = store.restartUnfinishedTrial(again.id(), workerId());
                if (restarted.isPresent()) {
                    return new Assignment(restarted.get(), TrialParams.fromMap(readJson(again.params())));
                }
                again = retrain.poll(); // taken over by another worker meanwhile
            }
            Optional<Trial> retry = store.claimRetry(runId, workerId(), spec.maxRetries());
            if (retry.isPresent()) {
                return new Assignment(retry.get(), TrialParams.fromMap(readJson(retry.get().params())));
            }
            // A full run needs no proposal (TPE's is not free): only the retries and the finish are left.
            boolean full = trials.size() >= planned;
            while (!exhausted && !full) {
                Optional<TrialParams> candidate = sampler.next(history());
                if (candidate.isEmpty()) {
                    exhausted = true;
                    break;
                }
                Store.Claim claim = store.claimTrial(runId, workerId(), planned, toJson(candidate.get().asMap()),
                        candidate.get().key());
                if (claim instanceof Store.Claim.Started started) {
                    return new Assignment(started.trial(), candidate.get());
                }
                full = claim instanceof Store.Claim.Full;
                // Another worker took this network a moment ago: the next history includes it.
            }
            // Nothing to start: stop once no trial of the run is running anywhere or waits for a retry.
            boolean inFlight = store.trials(runId).stream().anyMatch(t -> t.state() == TrialState.RUNNING
                    || (t.state() == TrialState.INTERRUPTED && t.retries() < spec.maxRetries()));
            return inFlight ? new Wait(trialsEnded) : new Done();
        }

        /**
         * The run's trials as the store has them, with their learning curves: what the sampler and the pruner
         * weigh. Read afresh each time, so other workers' epochs count as soon as they are stored.
         */
        List<TrialRecord> history() {
            Map<Long, LearningCurve> learning = store.learningCurves(runId, spec.objective());
            List<TrialRecord> out = new ArrayList<>();
            for (Trial t : store.trials(runId)) {
                TrialParams params = parsed.computeIfAbsent(t.id(), id -> TrialParams.fromMap(readJson(t.params())));
                out.add(new TrialRecord(t.number(), params, t.state(), t.score(),
                        learning.getOrDefault(t.id(), LearningCurve.EMPTY)));
            }
            return out;
        }

        /** Whether the run's time budget is spent, by the database's clock; never without a budget. */
        boolean budgetSpent() {
            return deadline != null && !store.databaseNow().isBefore(deadline);
        }

        /** The time budget as a rule asked after each epoch: a trial stops, keeping its best epoch, once it's spent. */
        EpochRule timeBudget() {
            return epochs -> budgetSpent() ? EpochRule.Decision.STOP : EpochRule.Decision.CONTINUE;
        }

        /** Why the run has fewer trials than planned because its time budget ran out, or empty. */
        Optional<String> budgetStop() {
            if (!budgetSpent()) {
                return Optional.empty();
            }
            String minutes = SpaceSpec.minutesText(spec.timeBudget().orElseThrow());
            return Optional.of("the time budget (max_minutes: " + minutes + ") ran out after "
                    + store.trials(runId).size() + " of the " + planned + " planned trials");
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
                TrialRecord trial = new TrialRecord(trialNumber, params, TrialState.RUNNING, null,
                        LearningCurve.of(epochs, spec.objective()));
                List<TrialRecord> others = history().stream().filter(t -> t.number() != trialNumber).toList();
                return pruner.prune(trial, others) ? EpochRule.Decision.PRUNE : EpochRule.Decision.CONTINUE;
            };
        }

        /**
         * Trials that failed in a row, by every worker, and the last one's reason: read from the store, so that one
         * process's failures stop the others too.
         */
        private record FailureStreak(int count, String lastReason) {
            static FailureStreak of(List<Trial> trials) {
                List<Trial> finished = trials.stream()
                        .filter(t -> t.state() == TrialState.COMPLETED || t.state() == TrialState.PRUNED
                                || t.state() == TrialState.FAILED)
                        .sorted(java.util.Comparator.comparing(Trial::finishedAt)).toList();
                int count = 0;
                for (int i = finished.size() - 1; i >= 0 && finished.get(i).state() == TrialState.FAILED; i--) {
                    count++;
                }
                return new FailureStreak(count, count == 0 ? null : finished.get(finished.size() - 1).failureReason());
            }
        }

        /** Why the run has fewer trials than planned because its space ran out, or empty. */
        synchronized Optional<String> exhaustedStop() {
            int issued = store.trials(runId).size();
            return exhausted && issued < planned ? Optional.of("the space has no other network to try (" + issued
                    + " of the " + planned + " planned trials)") : Optional.empty();
        }

        /** Why the run stopped early, or empty when it did not stop for failures. */
        Optional<String> failureStop() {
            FailureStreak streak = FailureStreak.of(store.trials(runId));
            if (streak.count() < spec.maxConsecutiveFailures()) {
                return Optional.empty();
            }
            return Optional.of("stopped after " + streak.count() + " trials in a row failed "
                    + "(max_consecutive_failures: " + spec.maxConsecutiveFailures() + "); the last one: "
                    + streak.lastReason());
        }

        synchronized void epochTrained(int examples) {
            examplesTrained += examples;
        }

        synchronized long examplesTrained() {
            return examplesTrained;
        }
    }
}
