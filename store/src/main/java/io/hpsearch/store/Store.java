package io.hpsearch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single source of truth of hpsearch: runs, trials, epoch metrics and test evaluations in an H2 file database.
 * Each write is one transaction, so a crash loses at most the write in flight. Thread-safe.
 */
public final class Store implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dbFile;
    private final JdbcConnectionPool pool;
    private final Jdbi jdbi;

    private Store(Path dbFile, JdbcConnectionPool pool) {
        this.dbFile = dbFile;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
        jdbi.registerRowMapper(ConstructorMapper.factory(Run.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(Trial.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(EpochMetrics.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(ClassMetrics.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(TrialDao.EvaluationRow.class));
        jdbi.registerRowMapper(RunSummary.class, (rs, ctx) -> new RunSummary(
                ctx.findRowMapperFor(Run.class).orElseThrow().map(rs, ctx),
                rs.getInt("completed"), rs.getInt("pruned"), rs.getInt("failed"), rs.getInt("cancelled"), rs.getInt("running"),
                rs.getObject("best_score", Double.class), rs.getObject("test_accuracy", Double.class)));
    }

    /**
     * Opens (creating if needed) the database whose base path is {@code dbFile}: H2 keeps it in
     * {@code dbFile + ".mv.db"}. The schema is brought up to date by Flyway.
     */
    public static Store open(Path dbFile) {
        Path file = dbFile.toAbsolutePath().normalize();
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create the database directory " + dir + " (" + e.getMessage()
                    + "); choose another place with --db PATH", e);
        }
        // AUTO_SERVER lets a dashboard and a command-line run share one file: the first process serves the others.
        // WRITE_DELAY=0 writes every commit to the file before the commit returns: with H2's default (500 ms), a
        // killed process lost its last half second of committed trials (CrashResumeTest).
        String url = "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (FlywayException | JdbiException e) {
            pool.dispose();
            throw new StoreException("cannot open the database " + file + ".mv.db: " + rootMessage(e)
                    + ". Is it an hpsearch database, and writable? Choose another with --db PATH", e);
        }
        return new Store(file, pool);
    }

    /** The database's base path (H2 adds {@code .mv.db}). */
    public Path dbFile() {
        return dbFile;
    }

    /** Records a run; {@code status} is RUNNING when it starts at once, QUEUED when it waits for others. */
    public long createRun(NewRun run, RunStatus status) {
        return jdbi.inTransaction(h -> h.attach(RunDao.class).insert(run, status, Instant.now()));
    }

    /**
     * Records the data a run trains on (JSON: files and hashes, counts, shape, classes), replacing what an earlier
     * start of the same run recorded.
     */
    public void saveRunData(long runId, String dataJson) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM run_data WHERE run_id = :id").bind("id", runId).execute();
            h.createUpdate("INSERT INTO run_data (run_id, data_json) VALUES (:id, :json)").bind("id", runId)
                    .bind("json", dataJson).execute();
        });
    }

    /** The data the run trains on, as {@link #saveRunData} recorded it; empty before the run first started. */
    public Optional<String> runData(long runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT data_json FROM run_data WHERE run_id = :id")
                .bind("id", runId).mapTo(String.class).findOne());
    }

    /** Moves a queued run to RUNNING; false if it is no longer queued. */
    public boolean startRun(long runId) {
        return jdbi.inTransaction(h -> h.attach(RunDao.class).start(runId, Instant.now())) == 1;
    }

    /**
     * Asks the process training the run to stop it (it polls {@link #cancelRequested}), or cancels a queued run at
     * once; false if the run is unknown or already finished.
     */
    public boolean requestCancel(long runId) {
        return jdbi.inTransaction(h -> {
            RunDao dao = h.attach(RunDao.class);
            // A queued run has nothing in flight: it is cancelled on the spot and never starts.
            return dao.cancelQueued(runId, Instant.now()) + dao.requestCancel(runId) == 1;
        });
    }

    /**
     * Marks a running run and its running trials alive. The process running it calls this every second; see
     * {@link #interruptStale}.
     */
    public void heartbeat(long runId) {
        Instant now = Instant.now();
        jdbi.useTransaction(h -> {
            h.attach(RunDao.class).heartbeat(runId, now);
            h.attach(TrialDao.class).heartbeatRunning(runId, now);
        });
    }

    /**
     * Marks as interrupted every running run and trial whose heartbeat is older than {@code grace}: the process
     * that ran it has died. Returns the number of runs marked.
     */
    public int interruptStale(Duration grace) {
        Instant now = Instant.now();
        Instant cutoff = now.minus(grace);
        // Runs first: a trial of an interrupted run is interrupted too, even if its last epoch came a moment after
        // the run's last heartbeat.
        return jdbi.inTransaction(h -> {
            int runs = h.attach(RunDao.class).interruptStale(cutoff, now);
            h.attach(TrialDao.class).interruptStale(cutoff, now);
            return runs;
        });
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
        return jdbi.inTransaction(h -> h.attach(RunDao.class).resume(runId, status, Instant.now())) == 1;
    }

    /**
     * Starts an interrupted or cancelled trial again from scratch, under its number: its epochs are deleted and it
     * is running again, in one transaction. Empty when the trial is in any other state (completed and failed
     * trials are never retrained).
     */
    public Optional<Trial> restartUnfinishedTrial(long trialId) {
        return jdbi.inTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            if (dao.restartUnfinished(trialId, Instant.now()) == 0) {
                return Optional.empty();
            }
            dao.deleteEpochs(trialId);
            return Optional.of(dao.find(trialId));
        });
    }

    public boolean cancelRequested(long runId) {
        return jdbi.withExtension(RunDao.class, dao -> dao.cancelRequested(runId));
    }

    public Optional<Run> run(long id) {
        return jdbi.withExtension(RunDao.class, dao -> dao.find(id));
    }

    /** Every run with its trial counts, newest first. */
    public List<RunSummary> runSummaries() {
        return jdbi.withExtension(RunDao.class, RunDao::summaries);
    }

    public Optional<RunSummary> runSummary(long runId) {
        return jdbi.withExtension(RunDao.class, dao -> dao.summary(runId));
    }

    public void finishRun(long runId, RunStatus status, String message) {
        jdbi.useTransaction(h -> h.attach(RunDao.class).finish(runId, status, message, Instant.now()));
    }

    /**
     * Records a trial as running. A run never holds two trials with one number, nor two trials of one network
     * ({@code paramsKey}): either is refused with a {@link StoreException}.
     */
    public Trial startTrial(long runId, int number, String params, String paramsKey) {
        try {
            return jdbi.inTransaction(h -> {
                TrialDao dao = h.attach(TrialDao.class);
                return dao.find(dao.insert(runId, number, params, paramsKey, Instant.now()));
            });
        } catch (JdbiException e) {
            if (isConstraintViolation(e)) {
                throw new StoreException("run " + runId + " already has trial " + number
                        + " or a trial of the same network (" + paramsKey + ")", e);
            }
            throw e;
        }
    }

    /** Records one epoch and marks the trial alive, in one transaction. */
    public void recordEpoch(long trialId, EpochMetrics metrics) {
        jdbi.useTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            dao.insertEpoch(trialId, metrics);
            dao.epochRecorded(trialId, metrics.epoch(), Instant.now());
        });
    }

    /**
     * Records a completed trial.
     *
     * @param score    the objective, averaged over the trial's executions
     * @param scoreStd its standard deviation over the executions; null for a single execution
     */
    public void completeTrial(long trialId, double score, Double scoreStd, int bestEpoch, int stoppedEpoch) {
        jdbi.useTransaction(h -> h.attach(TrialDao.class).complete(trialId, score, scoreStd, bestEpoch, stoppedEpoch,
                Instant.now()));
    }

    /**
     * Records a trial its run's pruner stopped after {@code epoch}: its score is that epoch's objective, and the
     * reason says which rule stopped it.
     */
    public void pruneTrial(long trialId, int epoch, double lastValue, String reason) {
        jdbi.useTransaction(h -> h.attach(TrialDao.class).prune(trialId, epoch, lastValue, reason, Instant.now()));
    }

    /**
     * The objective after every epoch of each trial's first execution, for all of a run's trials in one query:
     * what samplers and pruners weigh. Keyed by trial id; epochs in order.
     */
    public Map<Long, double[]> learningCurves(long runId, Objective objective) {
        String column = objective == Objective.VAL_LOSS ? "e.val_loss" : "e.val_accuracy";
        Map<Long, List<Double>> curves = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT e.trial_id, " + column + " AS v FROM epochs e "
                        + "JOIN trials t ON t.id = e.trial_id WHERE t.run_id = :runId AND e.execution = 1 "
                        + "ORDER BY e.trial_id, e.epoch")
                .bind("runId", runId)
                .map((rs, ctx) -> Map.entry(rs.getLong("trial_id"), rs.getDouble("v")))
                .forEach(e -> curves.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())));
        Map<Long, double[]> out = new LinkedHashMap<>();
        curves.forEach((id, values) -> out.put(id, values.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /** Records a trial that ended without completing: failed or cancelled, with the reason. */
    public void finishTrial(long trialId, TrialState state, Double score, String failureReason) {
        jdbi.useTransaction(h -> h.attach(TrialDao.class).finish(trialId, state, score, failureReason, Instant.now()));
    }

    /** Marks every trial of the run still running as cancelled; returns how many. */
    public int cancelRunningTrials(long runId) {
        return jdbi.inTransaction(h -> h.attach(TrialDao.class)
                .cancelRunning(runId, "cancelled: the run stopped while it trained", Instant.now()));
    }

    /** Trials of a run by number. */
    public List<Trial> trials(long runId) {
        return jdbi.withExtension(TrialDao.class, dao -> dao.ofRun(runId));
    }

    public Optional<Trial> trial(long runId, int number) {
        return jdbi.withExtension(TrialDao.class, dao -> dao.find(runId, number));
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
        return jdbi.withHandle(h -> h.createQuery(TrialDao.TRIAL + """
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
        return jdbi.withExtension(TrialDao.class, dao -> dao.distinctParams(runId));
    }

    public List<EpochMetrics> epochs(long trialId) {
        return jdbi.withExtension(TrialDao.class, dao -> dao.epochs(trialId));
    }

    /** Stores (or replaces) a run's test evaluation with its per-class rows, in one transaction. */
    public void saveTestEvaluation(TestEvaluation evaluation) {
        String confusion = toJson(evaluation.confusion());
        jdbi.useTransaction(h -> {
            TrialDao dao = h.attach(TrialDao.class);
            dao.deleteClassMetrics(evaluation.runId());
            dao.deleteEvaluation(evaluation.runId());
            dao.insertEvaluation(evaluation, confusion, Instant.now());
            dao.insertClassMetrics(evaluation.runId(), evaluation.classes());
        });
    }

    public Optional<TestEvaluation> testEvaluation(long runId) {
        return jdbi.withExtension(TrialDao.class, dao -> dao.evaluation(runId).map(row -> new TestEvaluation(
                row.runId(), row.trialNumber(), row.modelPath(), row.accuracy(), row.macroF1(),
                dao.classMetrics(runId), fromJson(row.confusion()))));
    }

    @Override
    public void close() {
        pool.dispose();
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

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
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
