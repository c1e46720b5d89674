package io.hpsearch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.extension.ExtensionCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.CaseStrategy;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.mapper.reflect.ReflectionMappers;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.time.OffsetDateTime;
import java.util.function.Supplier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single source of truth of hpsearch: runs, trials, epoch metrics, the best networks and test evaluations, in an
 * embedded H2 file or a PostgreSQL database that processes on many machines share ({@link Database}). Each write is
 * one transaction, so a crash loses at most the write in flight; times that decide liveness (heartbeats, the grace
 * before a worker counts as dead) come from the database's clock, never a machine's. Thread-safe.
 */
public final class Store implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a PostgreSQL store keeps retrying a statement while the server is unreachable, unless told. */
    public static final Duration DEFAULT_RECONNECT = Duration.ofMinutes(5);

    private final Database database;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private volatile Duration reconnect = DEFAULT_RECONNECT;

    private Store(Database database, HikariDataSource pool) {
        this.database = database;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
        // Jdbi lower-cases column names in the default locale: under a Turkish one H2's "ID" became "ıd" and matched
        // no record component, so every read failed.
        jdbi.getConfig(ReflectionMappers.class).setCaseChange(CaseStrategy.LOWER);
        jdbi.registerRowMapper(ConstructorMapper.factory(Run.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(Trial.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(EpochMetrics.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(ClassMetrics.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(WorkerDao.Row.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(StoredModel.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(TrialCheckpoint.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(TrialDao.EvaluationRow.class));
        jdbi.registerRowMapper(RunSummary.class, (rs, ctx) -> new RunSummary(
                ctx.findRowMapperFor(Run.class).orElseThrow().map(rs, ctx),
                rs.getInt("completed"), rs.getInt("pruned"), rs.getInt("failed"), rs.getInt("cancelled"), rs.getInt("running"),
                rs.getObject("best_score", Double.class), rs.getObject("test_accuracy", Double.class)));
    }

    /** Opens (creating if needed) the H2 database whose base path is {@code dbFile} ({@code dbFile + ".mv.db"}). */
    public static Store open(Path dbFile) {
        return open(new Database.H2(dbFile));
    }

    /** Opens the database a user named with {@code --db}: a file path (H2) or a {@code jdbc:postgresql:} URL. */
    public static Store open(String location) {
        return open(Database.of(location));
    }

    /**
     * Opens the database, creating an H2 file if needed, and brings its schema up to date with Flyway (which locks
     * the schema history while it migrates, so workers starting at once migrate it once).
     *
     * @throws StoreException one paragraph saying what is wrong: an unreachable server, a refused login, a missing
     *                        database, a file that is not an hpsearch database
     */
    public static Store open(Database database) {
        if (database instanceof Database.H2 h2) {
            Path dir = h2.base().getParent();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new StoreException("cannot create the database directory " + dir + " (" + e.getMessage()
                        + "); choose another place with --db PATH", e);
            }
            notWritable(h2).ifPresent(problem -> {
                throw new StoreException(problem);
            });
        }
        HikariConfig config = database.poolConfig();
        config.setPoolName("hpsearch");
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(1); // a wrong URL or password fails here, at once, not on first use
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException(cannotOpen(database, e), e);
        }
        try {
            Flyway.configure().dataSource(pool)
                    .locations("classpath:db/common", "classpath:db/" + database.vendor())
                    .load().migrate();
        } catch (FlywayException | JdbiException e) {
            pool.close();
            throw new StoreException(cannotOpen(database, e), e);
        }
        return new Store(database, pool);
    }

    /**
     * Why H2 cannot open a file or folder this user may not write, said plainly (H2 said "Feature not supported:
     * AUTO_SERVER=TRUE && readOnly"): it opens the file for writing and keeps a lock file beside it even to read.
     * Asked before H2 opens it, which also prints a trace of its own on standard output when it cannot write its
     * trace file. Even while the owner's hpsearch serves the file (AUTO_SERVER), H2 opens it for writing first and
     * fails the same way (tried: a read-only user's {@code runs} beside the owner's {@code serve}).
     */
    private static Optional<String> notWritable(Database.H2 h2) {
        Path file = h2.file();
        Path dir = file.getParent();
        String user = System.getProperty("user.name");
        String why = " (its permissions, or a read-only file system)";
        if (!Files.exists(file)) {
            return Files.isWritable(dir) ? Optional.empty() : Optional.of("cannot create the database " + file
                    + ": its folder " + dir + " is not writable by " + user + why + "; choose another place with "
                    + "--db PATH");
        }
        String fix = ": hpsearch writes to its database even to list runs. Give this user write access, or copy the"
                + " database somewhere writable and pass --db with the copy";
        if (!Files.isWritable(file)) {
            return Optional.of("cannot open the database " + file + ": the file is not writable by " + user + why
                    + fix);
        }
        if (!Files.isWritable(dir)) {
            return Optional.of("cannot open the database " + file + ": its folder " + dir + " is not writable by "
                    + user + why + ", and H2 keeps a lock file beside the database" + fix);
        }
        return Optional.empty();
    }

    private static String cannotOpen(Database database, Throwable e) {
        if (database instanceof Database.Postgres) {
            return "cannot use the PostgreSQL database " + database.describe() + ": "
                    + rootMessage(e).replaceAll("\\.+$", "") + ". Check the host, port and database name in the "
                    + "URL, that the server is running, and the user and password (from the URL, PGPASSWORD or "
                    + "~/.pgpass); the database must exist and the user must be allowed to create tables in it";
        }
        return "cannot open the database " + database.describe() + ": " + rootMessage(e)
                + ". Is it an hpsearch database, and writable? Choose another with --db PATH";
    }

    /** The database, as a user named it. */
    public Database database() {
        return database;
    }

    /** How to name the database to a user: its file, or its URL without the password. */
    public String describe() {
        return database.describe();
    }

    /** Records a run; {@code status} is RUNNING when it starts at once, QUEUED when it waits for others. */
    public long createRun(NewRun run, RunStatus status) {
        return inTransaction(h -> h.attach(RunDao.class).insert(run, status, now(h)));
    }

    /**
     * Records the data a run trains on (JSON: files and hashes, counts, shape, classes), replacing what an earlier
     * start of the same run recorded.
     */
    public void saveRunData(long runId, String dataJson) {
        useTransaction(h -> {
            h.createUpdate("DELETE FROM run_data WHERE run_id = :id").bind("id", runId).execute();
            h.createUpdate("INSERT INTO run_data (run_id, data_json) VALUES (:id, :json)").bind("id", runId)
                    .bind("json", dataJson).execute();
        });
    }

    /** The data the run trains on, as {@link #saveRunData} recorded it; empty before the run first started. */
    public Optional<String> runData(long runId) {
        return withHandle(h -> h.createQuery("SELECT data_json FROM run_data WHERE run_id = :id")
                .bind("id", runId).mapTo(String.class).findOne());
    }

    /** Moves a queued run to RUNNING; false if it is no longer queued. */
    public boolean startRun(long runId) {
        return inTransaction(h -> h.attach(RunDao.class).start(runId, now(h))) == 1;
    }

    /**
     * Asks the process training the run to stop it (it polls {@link #cancelRequested}), or cancels a queued or an
     * interrupted run at once; false if the run is unknown or already finished.
     */
    public boolean requestCancel(long runId) {
        return inTransaction(h -> {
            RunDao dao = h.attach(RunDao.class);
            Instant now = now(h);
            // A queued or interrupted run has nothing in flight: it is cancelled on the spot, and no worker takes it
            // up (workers resume interrupted runs; a cancelled one only by an explicit resume).
            return dao.cancelQueued(runId, now) + dao.cancelInterrupted(runId, now) + dao.requestCancel(runId) == 1;
        });
    }

    /**
     * Marks a running run and its running trials alive, for a process that is not a registered worker (tests, and
     * stores written before workers existed); workers call {@link #workerHeartbeat}.
     */
    public void heartbeat(long runId) {
        useTransaction(h -> {
            Instant now = now(h);
            h.attach(RunDao.class).heartbeat(runId, now);
            h.attach(TrialDao.class).heartbeatRunning(runId, now);
        });
    }

    /**
     * Records a process that trains trials (of one run or of many), and returns its id, which its trials carry. The
     * host and process id are shown on the run page's workers panel.
     */
    public long registerWorker(String host, long pid) {
        return inTransaction(h -> h.attach(WorkerDao.class).insert(host, pid, now(h)));
    }

    /**
     * A worker's heartbeat, with the database's clock: the worker, the run it works on (null between runs) and
     * the trials it trains are alive. Each worker writes one every second; see {@link #interruptStale}.
     */
    public void workerHeartbeat(long workerId, Long runId) {
        useTransaction(h -> {
            Instant now = now(h);
            h.attach(WorkerDao.class).heartbeat(workerId, runId, now);
            if (runId != null) {
                h.attach(RunDao.class).heartbeat(runId, now);
            }
            h.attach(TrialDao.class).heartbeatOfWorker(workerId, now);
        });
    }

    /**
     * Marks as interrupted every running run and trial whose heartbeat, by the database's clock, is older than
     * {@code grace}: the processes that ran it have died. A run stays alive while any worker on it writes heartbeats;
     * a trial while the worker training it does. Returns the number of runs marked.
     */
    public int interruptStale(Duration grace) {
        // Runs first: a trial of an interrupted run is interrupted too, even if its last epoch came a moment after
        // the run's last heartbeat.
        return inTransaction(h -> {
            Instant now = now(h);
            Instant cutoff = now.minus(grace);
            int runs = h.attach(RunDao.class).interruptStale(cutoff, now);
            h.attach(TrialDao.class).interruptStale(cutoff, now);
            return runs;
        });
    }

    /** The workers that have trained (or now train) trials of the run, or work on it now, in the order they joined. */
    public List<Worker> workers(long runId) {
        return withHandle(h -> h.attach(WorkerDao.class).ofRun(runId, now(h)));
    }

    /**
     * Takes an interrupted or cancelled run back to {@code status} (RUNNING for the process that resumes it now,
     * QUEUED for one that will). False when the run is in any other state: finished, unknown, or already resumed by
     * another process.
     */
    public boolean resumeRun(long runId, RunStatus status) {
        if (status != RunStatus.RUNNING && status != RunStatus.QUEUED) {
            throw new IllegalArgumentException("a run resumes as running or queued, not " + status);
        }
        return inTransaction(h -> {
            RunDao dao = h.attach(RunDao.class);
            Instant now = now(h);
            Optional<Duration> left = timeLeft(dao, runId);
            if (dao.resume(runId, status, now) != 1) {
                return false;
            }
            left.ifPresent(l -> dao.setDeadline(runId, now.plus(l)));
            return true;
        });
    }

    /**
     * The time budget a resume gives the run: what was left when it last showed signs of life (its last heartbeat),
     * so that the hours it lay interrupted do not count; zero when it was spent. Empty for a run without a budget,
     * or one that never started it.
     */
    public Optional<Duration> timeLeft(long runId) {
        return withHandle(h -> timeLeft(h.attach(RunDao.class), runId));
    }

    private static Optional<Duration> timeLeft(RunDao dao, long runId) {
        Optional<Instant> deadline = dao.find(runId).map(Run::deadline);
        Optional<Instant> lastAlive = dao.heartbeatAt(runId);
        if (deadline.isEmpty() || lastAlive.isEmpty()) {
            return Optional.empty();
        }
        Duration left = Duration.between(lastAlive.get(), deadline.get());
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /**
     * Starts the run's time budget, by the database's clock, unless it has started (another worker started it, or
     * the run was resumed with what it had left), and returns the run's deadline.
     */
    public Instant startTimeBudget(long runId, Duration budget) {
        return inTransaction(h -> {
            RunDao dao = h.attach(RunDao.class);
            dao.startTimeBudget(runId, now(h).plus(budget));
            return dao.find(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId)).deadline();
        });
    }

    /**
     * Starts an interrupted or cancelled trial again under its number, in one transaction: it is running again and
     * keeps its epochs up to its checkpoint (none without one: it trains from scratch; see {@link #checkpoint}).
     * Empty when the trial is in any other state (completed and failed trials are never retrained).
     */
    public Optional<Trial> restartUnfinishedTrial(long trialId, Long workerId) {
        return inTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            Instant now = now(h);
            if (dao.restartUnfinished(trialId, workerId, now) == 0) {
                return Optional.empty();
            }
            keepEpochsToCheckpoint(dao, trialId, now);
            return Optional.of(dao.find(trialId));
        });
    }

    /**
     * Deletes the epochs after the trial's checkpoint and counts the rest. Its start moves back by the seconds those
     * epochs took, so that its duration is the time it trained, not counting the time it lay interrupted.
     */
    private static void keepEpochsToCheckpoint(TrialDao dao, long trialId, Instant now) {
        dao.deleteEpochsAfterCheckpoint(trialId);
        dao.recountEpochs(trialId);
        dao.setStartedAt(trialId, now.minusMillis(Math.round(dao.trainedSeconds(trialId) * 1000)));
    }

    /** The trial's last checkpoint, as {@link #saveCheckpoint} stored it. */
    public Optional<TrialCheckpoint> checkpoint(long trialId) {
        return withExtension(TrialDao.class, dao -> dao.checkpoint(trialId));
    }

    /**
     * Drops a worker's running trial's checkpoint and every epoch it trained, in one transaction: it trains from
     * scratch (its checkpoint could not be read, say). Only while the trial is still this worker's (see
     * {@link #recordOwnEpoch}); false, and nothing dropped, when another worker took it over.
     */
    public boolean discardOwnCheckpoint(long trialId, long workerId) {
        return inTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            if (dao.aliveOwn(trialId, workerId, now(h)) == 0) {
                return false;
            }
            dao.deleteCheckpoint(trialId);
            dao.deleteEpochs(trialId);
            dao.recountEpochs(trialId);
            dao.setStartedAt(trialId, now(h));
            return true;
        });
    }

    public boolean cancelRequested(long runId) {
        return withExtension(RunDao.class, dao -> dao.cancelRequested(runId));
    }

    public Optional<Run> run(long id) {
        return withExtension(RunDao.class, dao -> dao.find(id));
    }

    /** Every run with its trial counts, newest first. */
    public List<RunSummary> runSummaries() {
        return withExtension(RunDao.class, RunDao::summaries);
    }

    public Optional<RunSummary> runSummary(long runId) {
        return withExtension(RunDao.class, dao -> dao.summary(runId));
    }

    /**
     * Records the run's end. A completed or failed run is never resumed: its trials' checkpoints go with it; a
     * cancelled one keeps those of the trials a resume continues.
     */
    public void finishRun(long runId, RunStatus status, String message) {
        useTransaction(h -> {
            h.attach(RunDao.class).finish(runId, status, message, now(h));
            TrialDao trials = h.attach(TrialDao.class);
            if (status == RunStatus.COMPLETED || status == RunStatus.FAILED) {
                trials.deleteRunCheckpoints(runId);
            } else {
                trials.deleteFinishedCheckpoints(runId);
            }
        });
    }

    /**
     * Records a trial as running. A run never holds two trials with one number, nor two trials of one network
     * ({@code paramsKey}): either is refused with a {@link StoreException}.
     */
    public Trial startTrial(long runId, int number, String params, String paramsKey) {
        try {
            return inTransaction(h -> {
                TrialDao dao = h.attach(TrialDao.class);
                return dao.find(dao.insert(runId, number, params, paramsKey, now(h)));
            });
        } catch (JdbiException e) {
            if (isConstraintViolation(e)) {
                throw new StoreException("run " + runId + " already has trial " + number
                        + " or a trial of the same network (" + paramsKey + ")", e);
            }
            throw e;
        }
    }

    /** What a worker got when it asked for a new trial: see {@link #claimTrial}. */
    public sealed interface Claim {
        /** The trial is recorded as running, under the next number of its run, and the worker trains it. */
        record Started(Trial trial) implements Claim {
        }

        /** The run already has a trial of this network (another worker proposed it first): propose another. */
        record Duplicate() implements Claim {
        }

        /** The run has all its planned trials: there is none left to start. */
        record Full() implements Claim {
        }
    }

    /**
     * Starts a new trial of the network {@code paramsKey} for a worker, if the run has fewer than {@code planned}
     * trials and none of this network. The number is the database's: the run's row is locked while the next number
     * is taken (as Optuna's storage numbers a trial under a lock on its study), so workers on any number of machines
     * never get the same number, and a run never has more than its planned trials.
     */
    public Claim claimTrial(long runId, long workerId, int planned, String params, String paramsKey) {
        long start = System.nanoTime();
        return inTransaction(h -> {
            h.createQuery("SELECT id FROM runs WHERE id = :id FOR UPDATE").bind("id", runId).mapTo(Long.class).one();
            TrialDao dao = h.attach(TrialDao.class);
            if (dao.count(runId) >= planned) {
                return new Claim.Full();
            }
            if (dao.hasNetwork(runId, paramsKey)) {
                return new Claim.Duplicate();
            }
            // The wait for the run's lock and the queries so far, recorded on the trial: coordination's cost.
            double claimMs = (System.nanoTime() - start) / 1e6;
            long id = dao.insertClaimed(runId, dao.nextNumber(runId), params, paramsKey, workerId, claimMs, now(h));
            return new Claim.Started(dao.find(id));
        });
    }

    /**
     * Takes over, for a worker, a trial of the run whose worker died (INTERRUPTED) and that has been retried fewer
     * than {@code maxRetries} times: it runs again under its number, from its checkpoint (or from scratch without
     * one), with its retry counted. Never a trial the worker itself holds (see {@link TrialDao#NOT_MINE}). Empty
     * when there is none. A conditional update decides between workers that try at once.
     */
    public Optional<Trial> claimRetry(long runId, long workerId, int maxRetries) {
        for (long trialId : withExtension(TrialDao.class, dao -> dao.retryable(runId, workerId, maxRetries))) {
            Optional<Trial> taken = inTransaction(h -> {
                TrialDao dao = h.attach(TrialDao.class);
                Instant now = now(h);
                if (dao.retry(trialId, workerId, maxRetries, now) == 0) {
                    return Optional.empty();
                }
                keepEpochsToCheckpoint(dao, trialId, now);
                return Optional.of(dao.find(trialId));
            });
            if (taken.isPresent()) {
                return taken;
            }
        }
        return Optional.empty();
    }

    /**
     * Records a worker's completed trial and, when it beats the run's best so far, the trial's network as the run's
     * model, in one transaction: the store's best trial always has its model, on every machine. {@code model} is
     * asked for the zip only then. False, and nothing written, when the trial is no longer this worker's (it was
     * declared dead and another worker retrains the trial).
     *
     * @param score    the objective, averaged over the trial's executions
     * @param scoreStd its standard deviation over the executions; null for a single execution
     */
    public boolean completeTrial(Trial trial, long workerId, double score, Double scoreStd, int bestEpoch,
                                 int stoppedEpoch, Supplier<byte[]> model) {
        return inTransaction(h -> {
            Objective objective = h.createQuery("SELECT objective FROM runs WHERE id = :id FOR UPDATE")
                    .bind("id", trial.runId()).mapTo(Objective.class).one();
            TrialDao dao = h.attach(TrialDao.class);
            if (dao.completeOwn(trial.id(), workerId, score, scoreStd, bestEpoch, stoppedEpoch, now(h)) == 0) {
                return false;
            }
            dao.deleteCheckpoint(trial.id());
            Optional<Double> best = dao.modelScore(trial.runId());
            if (best.isEmpty() || objective.beats(score, best.get(), 0)) {
                dao.deleteModel(trial.runId());
                dao.insertModel(trial.runId(), trial.number(), score, model.get());
            }
            return true;
        });
    }

    /** The run's best network so far (its zip), as {@link #completeTrial} stored it; empty before any completed. */
    public Optional<StoredModel> model(long runId) {
        return withExtension(TrialDao.class, dao -> dao.model(runId));
    }

    /**
     * Takes, for one worker, the job of finishing the run (evaluating its best network on the test set), once no
     * trial of it is running or waits for a retry. False when another worker has it, the run is not running, or a
     * trial is still in flight.
     */
    public boolean claimFinish(long runId, long workerId, int maxRetries) {
        return inTransaction(h -> h.attach(RunDao.class).claimFinish(runId, workerId, maxRetries)) == 1;
    }

    /**
     * Fails the run's interrupted trials that used up their retries (their workers died {@code maxRetries + 1}
     * times), so that the run can finish; returns how many.
     */
    public int failUnretried(long runId, int maxRetries) {
        return inTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            int failed = dao.failUnretried(runId, maxRetries, "interrupted: the process training it stopped, "
                    + (maxRetries + 1) + " time(s) (max_retries: " + maxRetries + ")", now(h));
            dao.deleteFinishedCheckpoints(runId);
            return failed;
        });
    }

    /** Records one epoch and marks the trial alive, in one transaction. */
    public void recordEpoch(long trialId, EpochMetrics metrics) {
        useTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            Instant now = now(h);
            writeEpoch(dao, trialId, metrics, now);
            dao.epochRecorded(trialId, metrics.epoch(), now);
        });
    }

    private static void writeEpoch(TrialDao dao, long trialId, EpochMetrics metrics, Instant now) {
        // A write retried after a lost connection may have committed the first time: the epoch replaces itself.
        dao.deleteEpoch(trialId, metrics.execution(), metrics.epoch());
        dao.insertEpoch(trialId, metrics, now);
    }

    /**
     * Records one epoch of a worker's trial and marks it alive, in one transaction, only while the trial is still
     * this worker's: false, and nothing written, when another worker took it over (this one was silent longer than
     * the heartbeat grace) or it ended.
     */
    public boolean recordOwnEpoch(long trialId, long workerId, EpochMetrics metrics) {
        return inTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            Instant now = now(h);
            if (dao.epochRecordedOwn(trialId, workerId, metrics.epoch(), now) == 0) {
                return false;
            }
            writeEpoch(dao, trialId, metrics, now);
            return true;
        });
    }

    /**
     * Replaces a worker's trial's checkpoint, in one transaction, only while the trial is still this worker's (see
     * {@link #recordOwnEpoch}); false, and nothing written, otherwise. Its epoch must be recorded already: a restart
     * keeps the epochs up to the checkpoint and trains the rest.
     */
    public boolean saveCheckpoint(long trialId, long workerId, TrialCheckpoint checkpoint) {
        return inTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            // The update locks the trial's row: a worker taking the trial over waits for this checkpoint, then
            // keeps the epochs up to it.
            if (dao.aliveOwn(trialId, workerId, now(h)) == 0) {
                return false;
            }
            dao.deleteCheckpoint(trialId);
            dao.insertCheckpoint(trialId, checkpoint.execution(), checkpoint.epoch(), checkpoint.state());
            return true;
        });
    }

    /**
     * Records a completed trial.
     *
     * @param score    the objective, averaged over the trial's executions
     * @param scoreStd its standard deviation over the executions; null for a single execution
     */
    public void completeTrial(long trialId, double score, Double scoreStd, int bestEpoch, int stoppedEpoch) {
        useTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            dao.complete(trialId, score, scoreStd, bestEpoch, stoppedEpoch, now(h));
            dao.deleteCheckpoint(trialId);
        });
    }

    /**
     * Records a trial its run's pruner stopped after {@code epoch}: its score is that epoch's objective, and the
     * reason says which rule stopped it.
     */
    public void pruneTrial(long trialId, int epoch, double lastValue, String reason) {
        useTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            dao.prune(trialId, epoch, lastValue, reason, now(h));
            dao.deleteCheckpoint(trialId);
        });
    }

    /**
     * As {@link #pruneTrial}, for a worker's trial: only while the trial is still this worker's (see
     * {@link #recordOwnEpoch}); false, and nothing written, when another worker took it over or it ended.
     */
    public boolean pruneOwnTrial(long trialId, long workerId, int epoch, double lastValue, String reason) {
        return inTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            if (dao.pruneOwn(trialId, workerId, epoch, lastValue, reason, now(h)) == 0) {
                return false;
            }
            dao.deleteCheckpoint(trialId);
            return true;
        });
    }

    /**
     * The objective after every epoch of each trial's first execution, and the seconds each epoch took, for all of
     * a run's trials in one query: what samplers and pruners weigh. Keyed by trial id; epochs in order.
     */
    public Map<Long, LearningCurve> learningCurves(long runId, Objective objective) {
        String column = objective == Objective.VAL_LOSS ? "e.val_loss" : "e.val_accuracy";
        Map<Long, List<double[]>> epochs = new LinkedHashMap<>();
        useHandle(h -> h.createQuery("SELECT e.trial_id, " + column + " AS v, e.seconds FROM epochs e "
                        + "JOIN trials t ON t.id = e.trial_id WHERE t.run_id = :runId AND e.execution = 1 "
                        + "ORDER BY e.trial_id, e.epoch")
                .bind("runId", runId)
                .map((rs, ctx) -> Map.entry(rs.getLong("trial_id"),
                        new double[]{rs.getDouble("v"), rs.getDouble("seconds")}))
                .forEach(e -> epochs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())));
        Map<Long, LearningCurve> out = new LinkedHashMap<>();
        epochs.forEach((id, list) -> out.put(id, new LearningCurve(list.stream().mapToDouble(e -> e[0]).toArray(),
                list.stream().mapToDouble(e -> e[1]).toArray())));
        return out;
    }

    /**
     * Records a trial that ended without completing: failed or cancelled, with the reason. A cancelled trial keeps its
     * checkpoint, for a resume; a failed one's is deleted.
     */
    public void finishTrial(long trialId, TrialState state, Double score, String failureReason) {
        useTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            dao.finish(trialId, state, score, failureReason, now(h));
            if (state != TrialState.CANCELLED) {
                dao.deleteCheckpoint(trialId);
            }
        });
    }

    /**
     * As {@link #finishTrial} (failed or cancelled, no score), for a worker's trial: only while it is still this
     * worker's (see {@link #recordOwnEpoch}); false, and nothing written, otherwise. A worker that was silent longer
     * than the heartbeat grace must not fail or cancel the attempt another worker now trains.
     */
    public boolean finishOwnTrial(long trialId, long workerId, TrialState state, String failureReason) {
        return inTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            if (dao.finishOwn(trialId, workerId, state, failureReason, now(h)) == 0) {
                return false;
            }
            if (state != TrialState.CANCELLED) {
                dao.deleteCheckpoint(trialId);
            }
            return true;
        });
    }

    /** Marks every trial of the run still running as cancelled; returns how many. */
    public int cancelRunningTrials(long runId) {
        return inTransaction(h -> h.attach(TrialDao.class)
                .cancelRunning(runId, "cancelled: the run stopped while it trained", now(h)));
    }

    /** Trials of a run by number. */
    public List<Trial> trials(long runId) {
        return withExtension(TrialDao.class, dao -> dao.ofRun(runId));
    }

    /**
     * The run's finished trials in the order they finished, each with the epochs the run had trained by then: every
     * worker's epochs recorded up to its finish, by the database's clock (a trial that trained beside shorter ones
     * on another worker finishes after their epochs, not where its number puts it). What a best-so-far curve is
     * drawn against. A run with epochs recorded before the store kept their times is counted as it was then: in
     * trial-number order, each trial's epochs added to those of the trials numbered before it.
     *
     * @param trials the run's trials as {@link #trials} reads them (its callers need them too: read once)
     */
    public List<Finish> finishes(long runId, List<Trial> trials) {
        List<Trial> finished = trials.stream().filter(t -> t.state().isFinished()).toList();
        List<Instant> ends = withExtension(TrialDao.class, dao -> dao.epochEnds(runId));
        List<Finish> out = new ArrayList<>();
        if (ends.contains(null) || finished.stream().anyMatch(t -> t.finishedAt() == null)) {
            long epochs = 0;
            for (Trial t : finished) {
                epochs += t.epochs();
                out.add(new Finish(t, epochs));
            }
            return out;
        }
        List<Instant> sorted = new ArrayList<>(ends);
        sorted.sort(null);
        List<Trial> byFinish = new ArrayList<>(finished);
        byFinish.sort(Comparator.comparing(Trial::finishedAt)); // stable: ties keep trial-number order
        int ended = 0; // epochs at or before the current trial's finish: both lists are in time order
        for (Trial t : byFinish) {
            while (ended < sorted.size() && !sorted.get(ended).isAfter(t.finishedAt())) {
                ended++;
            }
            out.add(new Finish(t, ended));
        }
        return out;
    }

    /**
     * A finished trial, and the epochs its run had trained (all trials, all workers, all executions) when it
     * finished.
     */
    public record Finish(Trial trial, long epochs) {
    }

    public Optional<Trial> trial(long runId, int number) {
        return withExtension(TrialDao.class, dao -> dao.find(runId, number));
    }

    /**
     * Completed trials best first in the run's objective direction (ties by number), then pruned ones (those that
     * trained longest first, then by their last value, as Optuna ranks them), then the others by number.
     *
     * @param limit at most this many; 0 or less for all
     */
    public List<Trial> rankedTrials(long runId, int limit) {
        return rankedTrials(runId, limit, 0);
    }

    /** One page of {@link #rankedTrials(long, int)}: {@code limit} trials from position {@code offset} on. */
    public List<Trial> rankedTrials(long runId, int limit, int offset) {
        Objective objective = run(runId).map(Run::objective).orElse(Objective.VAL_ACCURACY);
        // The direction comes from the enum, never from user text.
        String direction = objective.maximise() ? "DESC" : "ASC";
        return withHandle(h -> h.createQuery(TrialDao.TRIAL + """
                         WHERE t.run_id = :runId
                        ORDER BY CASE WHEN t.state = 'COMPLETED' THEN 0 WHEN t.state = 'PRUNED' THEN 1 ELSE 2 END,
                                 CASE WHEN t.state = 'PRUNED' THEN t.stopped_epoch END DESC,
                                 CASE WHEN t.state IN ('COMPLETED', 'PRUNED') THEN t.score END\s""" + direction + """
                        , t.trial_number
                        LIMIT :limit OFFSET :offset""")
                .bind("runId", runId)
                .bind("limit", limit > 0 ? limit : Integer.MAX_VALUE)
                .bind("offset", Math.max(0, offset))
                .mapTo(Trial.class)
                .list());
    }

    /** The distinct parameter sets (as stored JSON) of a run's trials: cheaper than the trials themselves. */
    public List<String> distinctParams(long runId) {
        return withExtension(TrialDao.class, dao -> dao.distinctParams(runId));
    }

    public List<EpochMetrics> epochs(long trialId) {
        return withExtension(TrialDao.class, dao -> dao.epochs(trialId));
    }

    /** Stores (or replaces) a run's test evaluation with its per-class rows, in one transaction. */
    public void saveTestEvaluation(TestEvaluation evaluation) {
        String confusion = toJson(evaluation.confusion());
        useTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            dao.deleteClassMetrics(evaluation.runId());
            dao.deleteEvaluation(evaluation.runId());
            dao.insertEvaluation(evaluation, confusion, now(h));
            dao.insertClassMetrics(evaluation.runId(), evaluation.classes());
        });
    }

    public Optional<TestEvaluation> testEvaluation(long runId) {
        return withExtension(TrialDao.class, dao -> dao.evaluation(runId).map(row -> new TestEvaluation(
                row.runId(), row.trialNumber(), row.modelPath(), row.accuracy(), row.macroF1(),
                dao.classMetrics(runId), fromJson(row.confusion()))));
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The database's clock: every time that decides liveness comes from here, the same for every machine. */
    private static Instant now(Handle h) {
        return h.createQuery("SELECT CURRENT_TIMESTAMP").mapTo(OffsetDateTime.class).one().toInstant();
    }

    /**
     * How long a statement on PostgreSQL is retried while the server is unreachable (a restart, a failover, a network
     * outage) before the store gives up with {@link StoreUnavailableException}. H2 is a file: it has no outage.
     */
    public Store reconnectFor(Duration window) {
        this.reconnect = window;
        return this;
    }

    /** The database's time now. */
    public Instant databaseNow() {
        return withHandle(Store::now);
    }

    private <R> R inTransaction(HandleCallback<R, RuntimeException> callback) {
        return retrying(() -> jdbi.inTransaction(callback));
    }

    private void useTransaction(HandleConsumer<RuntimeException> callback) {
        retrying(() -> {
            jdbi.useTransaction(callback);
            return null;
        });
    }

    private <R> R withHandle(HandleCallback<R, RuntimeException> callback) {
        return retrying(() -> jdbi.withHandle(callback));
    }

    private void useHandle(HandleConsumer<RuntimeException> callback) {
        retrying(() -> {
            jdbi.useHandle(callback);
            return null;
        });
    }

    private <R, E> R withExtension(Class<E> type, ExtensionCallback<R, E, RuntimeException> callback) {
        return retrying(() -> jdbi.withExtension(type, callback));
    }

    /**
     * Runs a statement, and on PostgreSQL runs it again while the server is unreachable (restarting, failing over),
     * for up to {@link #reconnectFor} (5 minutes unless told): a worker carries on once the server is back instead of
     * losing the trial it trains. The pool replaces the broken connections. Every write is one transaction, so a retried one either
     * committed before the connection broke or left nothing behind; the few that could be committed twice are
     * written to tolerate it (an epoch replaces itself).
     */
    private <R> R retrying(Supplier<R> statement) {
        if (!(database instanceof Database.Postgres)) {
            return statement.get();
        }
        Duration window = reconnect;
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            try {
                return statement.get();
            } catch (JdbiException e) {
                if (!connectionLost(e)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new StoreUnavailableException("lost the connection to the PostgreSQL database "
                            + database.describe() + " and could not get it back in " + seconds(window) + " ("
                            + rootMessage(e).replaceAll("\\.+$", "") + ")", e);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Connection failures (SQLSTATE class 08), a server shutting down (57P0x), or no connection from the pool. */
    private static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException
                    || (t instanceof SQLException sql && "23505".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s > 0 ? (s / 60) + " minute(s)" : s + " second(s)";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host " + root.getMessage(); // whose message may be the bare host name alone
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        // H2 appends its version and an error code line: keep the first line, which says what happened.
        return message.lines().findFirst().orElse(message);
    }

    private static String toJson(int[][] matrix) {
        try {
            return JSON.writeValueAsString(matrix);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a confusion matrix as JSON", e);
        }
    }

    private static int[][] fromJson(String json) {
        try {
            return JSON.readValue(json, int[][].class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored confusion matrix is not JSON: " + json, e);
        }
    }
}
