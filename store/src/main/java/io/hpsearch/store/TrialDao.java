package io.hpsearch.store;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The fixed queries on trials, epochs and test evaluations. */
interface TrialDao {

    /** Columns of {@link Trial}, in the shape its mapper expects. */
    String TRIAL = """
            SELECT t.id, t.run_id, t.trial_number AS number, t.params, t.params_key, t.state, t.score, t.score_std,
                   t.epochs,
                   t.best_epoch, t.stopped_epoch, t.failure_reason, t.started_at, t.finished_at,
                   w.host, w.pid, t.retries, t.claim_ms
            FROM trials t LEFT JOIN workers w ON w.id = t.worker_id""";

    /**
     * The trial {@code :id} is still worker {@code :workerId}'s: running, or marked interrupted but taken over by
     * nobody. Every write a worker makes for its own trial is conditional on it, so one that was declared dead and
     * replaced writes nothing.
     */
    String OWN = "id = :id AND state IN ('RUNNING', 'INTERRUPTED') AND worker_id = :workerId";

    @SqlUpdate("""
            INSERT INTO trials (run_id, trial_number, params, params_key, state, started_at, heartbeat_at)
            VALUES (:runId, :number, :params, :paramsKey, 'RUNNING', :now, :now)""")
    @GetGeneratedKeys("id")
    long insert(@Bind("runId") long runId, @Bind("number") int number, @Bind("params") String params,
                @Bind("paramsKey") String paramsKey, @Bind("now") Instant now);

    @SqlUpdate("""
            INSERT INTO trials (run_id, trial_number, params, params_key, state, started_at, heartbeat_at, worker_id,
                                claim_ms)
            VALUES (:runId, :number, :params, :paramsKey, 'RUNNING', :now, :now, :workerId, :claimMs)""")
    @GetGeneratedKeys("id")
    long insertClaimed(@Bind("runId") long runId, @Bind("number") int number, @Bind("params") String params,
                       @Bind("paramsKey") String paramsKey, @Bind("workerId") long workerId,
                       @Bind("claimMs") double claimMs, @Bind("now") Instant now);

    @SqlQuery("SELECT COUNT(*) FROM trials WHERE run_id = :runId")
    int count(@Bind("runId") long runId);

    @SqlQuery("SELECT COUNT(*) > 0 FROM trials WHERE run_id = :runId AND params_key = :key")
    boolean hasNetwork(@Bind("runId") long runId, @Bind("key") String paramsKey);

    @SqlQuery("SELECT COALESCE(MAX(trial_number), 0) + 1 FROM trials WHERE run_id = :runId")
    int nextNumber(@Bind("runId") long runId);

    /**
     * A worker never takes over a trial it holds itself ({@link #NOT_MINE}): one of its own threads may still be
     * training it (the worker was cut off from the database past the grace and is back), and the worker id is all
     * that tells the two apart, so ownership ({@link #OWN}) would accept both threads' writes. Another worker, or
     * a resume by a new process, retrains it; the thread that has it goes on and may end it.
     */
    String NOT_MINE = "(worker_id IS NULL OR worker_id <> :workerId)";

    @SqlQuery("""
            SELECT id FROM trials WHERE run_id = :runId AND state = 'INTERRUPTED' AND retries < :maxRetries
              AND\s""" + NOT_MINE + " ORDER BY trial_number")
    List<Long> retryable(@Bind("runId") long runId, @Bind("workerId") long workerId,
                         @Bind("maxRetries") int maxRetries);

    @SqlUpdate("""
            UPDATE trials SET state = 'RUNNING', retries = retries + 1, worker_id = :workerId, score = NULL,
                              score_std = NULL, best_epoch = NULL, stopped_epoch = NULL, epochs = 0,
                              failure_reason = NULL, finished_at = NULL, started_at = :now, heartbeat_at = :now
            WHERE id = :id AND state = 'INTERRUPTED' AND retries < :maxRetries AND\s""" + NOT_MINE)
    int retry(@Bind("id") long trialId, @Bind("workerId") long workerId, @Bind("maxRetries") int maxRetries,
              @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE trials SET state = 'FAILED', failure_reason = :reason, finished_at = :now
            WHERE run_id = :runId AND state = 'INTERRUPTED' AND retries >= :maxRetries""")
    int failUnretried(@Bind("runId") long runId, @Bind("maxRetries") int maxRetries, @Bind("reason") String reason,
                      @Bind("now") Instant now);

    @SqlUpdate("UPDATE trials SET heartbeat_at = :now WHERE worker_id = :workerId AND state = 'RUNNING'")
    void heartbeatOfWorker(@Bind("workerId") long workerId, @Bind("now") Instant now);

    /** Completes a trial only while it is this worker's: one declared dead and taken over is left to its new worker. */
    @SqlUpdate("""
            UPDATE trials SET state = 'COMPLETED', score = :score, score_std = :scoreStd, best_epoch = :bestEpoch,
                              stopped_epoch = :stoppedEpoch, finished_at = :now, heartbeat_at = :now
            WHERE\s""" + OWN)
    int completeOwn(@Bind("id") long trialId, @Bind("workerId") long workerId, @Bind("score") double score,
                    @Bind("scoreStd") Double scoreStd, @Bind("bestEpoch") int bestEpoch,
                    @Bind("stoppedEpoch") int stoppedEpoch, @Bind("now") Instant now);

    @SqlQuery("SELECT score FROM run_models WHERE run_id = :runId")
    Optional<Double> modelScore(@Bind("runId") long runId);

    @SqlUpdate("DELETE FROM run_models WHERE run_id = :runId")
    void deleteModel(@Bind("runId") long runId);

    @SqlUpdate("INSERT INTO run_models (run_id, trial_number, score, model) VALUES (:runId, :number, :score, :model)")
    void insertModel(@Bind("runId") long runId, @Bind("number") int trialNumber, @Bind("score") double score,
                     @Bind("model") byte[] model);

    @SqlQuery("SELECT trial_number, score, model AS zip FROM run_models WHERE run_id = :runId")
    Optional<StoredModel> model(@Bind("runId") long runId);

    @SqlUpdate("DELETE FROM epochs WHERE trial_id = :id AND execution = :execution AND epoch = :epoch")
    void deleteEpoch(@Bind("id") long trialId, @Bind("execution") int execution, @Bind("epoch") int epoch);

    @SqlQuery(TRIAL + " WHERE t.id = :id")
    Trial find(@Bind("id") long id);

    @SqlQuery(TRIAL + " WHERE t.run_id = :runId AND t.trial_number = :number")
    Optional<Trial> find(@Bind("runId") long runId, @Bind("number") int number);

    @SqlQuery(TRIAL + " WHERE t.run_id = :runId ORDER BY t.trial_number")
    List<Trial> ofRun(@Bind("runId") long runId);

    @SqlUpdate("""
            INSERT INTO epochs (trial_id, execution, epoch, train_loss, val_loss, val_accuracy, seconds, ended_at)
            VALUES (:trialId, :execution, :epoch, :trainLoss, :valLoss, :valAccuracy, :seconds, :now)""")
    void insertEpoch(@Bind("trialId") long trialId, @BindMethods EpochMetrics metrics, @Bind("now") Instant now);

    /**
     * As {@link #epochRecorded}, only while the trial is this worker's ({@link #OWN}): 0 when another worker has it,
     * or it ended. Its row stays locked until the transaction ends.
     */
    @SqlUpdate("UPDATE trials SET heartbeat_at = :now, epochs = GREATEST(epochs, :epoch) WHERE " + OWN)
    int epochRecordedOwn(@Bind("id") long trialId, @Bind("workerId") long workerId, @Bind("epoch") int epoch,
                         @Bind("now") Instant now);

    /** Marks the trial alive while it is this worker's ({@link #OWN}); 0 otherwise. */
    @SqlUpdate("UPDATE trials SET heartbeat_at = :now WHERE " + OWN)
    int aliveOwn(@Bind("id") long trialId, @Bind("workerId") long workerId, @Bind("now") Instant now);

    /** Marks the trial alive and counts the epoch (the highest epoch reached by any of its executions). */
    @SqlUpdate("UPDATE trials SET heartbeat_at = :now, epochs = GREATEST(epochs, :epoch) WHERE id = :id")
    void epochRecorded(@Bind("id") long trialId, @Bind("epoch") int epoch, @Bind("now") Instant now);

    @SqlUpdate("UPDATE trials SET heartbeat_at = :now WHERE run_id = :runId AND state = 'RUNNING'")
    void heartbeatRunning(@Bind("runId") long runId, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE trials SET state = 'INTERRUPTED', finished_at = :now,
                              failure_reason = 'interrupted: the process training it stopped'
            WHERE state = 'RUNNING'
              AND (heartbeat_at < :cutoff OR run_id IN (SELECT id FROM runs WHERE status = 'INTERRUPTED'))""")
    int interruptStale(@Bind("cutoff") Instant cutoff, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE trials SET state = 'RUNNING', score = NULL, score_std = NULL, best_epoch = NULL,
                              stopped_epoch = NULL, epochs = 0, failure_reason = NULL, finished_at = NULL,
                              started_at = :now, heartbeat_at = :now, worker_id = :workerId
            WHERE id = :id AND state IN ('INTERRUPTED', 'CANCELLED')""")
    int restartUnfinished(@Bind("id") long trialId, @Bind("workerId") Long workerId, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM epochs WHERE trial_id = :id")
    void deleteEpochs(@Bind("id") long trialId);

    /** Deletes the epochs a trial trained after its checkpoint (all of them when it has none). */
    @SqlUpdate("""
            DELETE FROM epochs WHERE trial_id = :id AND NOT EXISTS (
                SELECT 1 FROM trial_checkpoints c WHERE c.trial_id = :id
                    AND (epochs.execution < c.execution OR (epochs.execution = c.execution AND epochs.epoch <= c.epoch)))""")
    void deleteEpochsAfterCheckpoint(@Bind("id") long trialId);

    @SqlQuery("SELECT COALESCE(SUM(seconds), 0) FROM epochs WHERE trial_id = :id")
    double trainedSeconds(@Bind("id") long trialId);

    @SqlUpdate("UPDATE trials SET started_at = :startedAt WHERE id = :id")
    void setStartedAt(@Bind("id") long trialId, @Bind("startedAt") Instant startedAt);

    /** Sets the trial's epoch count from the epochs it has kept (see {@link #epochRecorded}). */
    @SqlUpdate("UPDATE trials SET epochs = COALESCE((SELECT MAX(e.epoch) FROM epochs e WHERE e.trial_id = :id), 0) "
            + "WHERE id = :id")
    void recountEpochs(@Bind("id") long trialId);

    @SqlUpdate("DELETE FROM trial_checkpoints WHERE trial_id = :id")
    void deleteCheckpoint(@Bind("id") long trialId);

    @SqlUpdate("INSERT INTO trial_checkpoints (trial_id, execution, epoch, state) VALUES (:id, :execution, :epoch, :state)")
    void insertCheckpoint(@Bind("id") long trialId, @Bind("execution") int execution, @Bind("epoch") int epoch,
                          @Bind("state") byte[] state);

    @SqlQuery("SELECT execution, epoch, state FROM trial_checkpoints WHERE trial_id = :id")
    Optional<TrialCheckpoint> checkpoint(@Bind("id") long trialId);

    /** Deletes the checkpoints of the run's trials that are finished for good (neither running nor resumable). */
    @SqlUpdate("""
            DELETE FROM trial_checkpoints WHERE trial_id IN (
                SELECT id FROM trials WHERE run_id = :runId AND state IN ('COMPLETED', 'PRUNED', 'FAILED'))""")
    void deleteFinishedCheckpoints(@Bind("runId") long runId);

    @SqlUpdate("DELETE FROM trial_checkpoints WHERE trial_id IN (SELECT id FROM trials WHERE run_id = :runId)")
    void deleteRunCheckpoints(@Bind("runId") long runId);

    @SqlQuery("SELECT DISTINCT params FROM trials WHERE run_id = :runId")
    List<String> distinctParams(@Bind("runId") long runId);

    @SqlUpdate("""
            UPDATE trials SET state = :state, score = :score, failure_reason = :reason, finished_at = :now,
                              heartbeat_at = :now
            WHERE id = :id""")
    int finish(@Bind("id") long trialId, @Bind("state") TrialState state, @Bind("score") Double score,
               @Bind("reason") String reason, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE trials SET state = 'PRUNED', score = :score, stopped_epoch = :epoch, best_epoch = :epoch,
                              failure_reason = :reason, finished_at = :now
            WHERE id = :id AND state = 'RUNNING'""")
    int prune(@Bind("id") long trialId, @Bind("epoch") int epoch, @Bind("score") double score,
              @Bind("reason") String reason, @Bind("now") Instant now);

    /** As {@link #prune}, only while the trial is this worker's ({@link #OWN}); 0 otherwise. */
    @SqlUpdate("""
            UPDATE trials SET state = 'PRUNED', score = :score, stopped_epoch = :epoch, best_epoch = :epoch,
                              failure_reason = :reason, finished_at = :now
            WHERE\s""" + OWN)
    int pruneOwn(@Bind("id") long trialId, @Bind("workerId") long workerId, @Bind("epoch") int epoch,
                 @Bind("score") double score, @Bind("reason") String reason, @Bind("now") Instant now);

    /** As {@link #finish}, only while the trial is this worker's ({@link #OWN}); 0 otherwise. */
    @SqlUpdate("""
            UPDATE trials SET state = :state, score = NULL, failure_reason = :reason, finished_at = :now,
                              heartbeat_at = :now
            WHERE\s""" + OWN)
    int finishOwn(@Bind("id") long trialId, @Bind("workerId") long workerId, @Bind("state") TrialState state,
                  @Bind("reason") String reason, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE trials SET state = 'COMPLETED', score = :score, score_std = :scoreStd, best_epoch = :bestEpoch,
                              stopped_epoch = :stoppedEpoch, finished_at = :now, heartbeat_at = :now
            WHERE id = :id""")
    int complete(@Bind("id") long trialId, @Bind("score") double score, @Bind("scoreStd") Double scoreStd,
                 @Bind("bestEpoch") int bestEpoch, @Bind("stoppedEpoch") int stoppedEpoch, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE trials SET state = 'CANCELLED', failure_reason = :reason, finished_at = :now
            WHERE run_id = :runId AND state = 'RUNNING'""")
    int cancelRunning(@Bind("runId") long runId, @Bind("reason") String reason, @Bind("now") Instant now);

    @SqlQuery("""
            SELECT execution, epoch, train_loss, val_loss, val_accuracy, seconds FROM epochs WHERE trial_id = :id
            ORDER BY execution, epoch""")
    List<EpochMetrics> epochs(@Bind("id") long trialId);

    /** When each epoch of the run's trials was recorded (null for epochs recorded before the store kept it). */
    @SqlQuery("SELECT e.ended_at FROM epochs e JOIN trials t ON t.id = e.trial_id WHERE t.run_id = :runId")
    List<Instant> epochEnds(@Bind("runId") long runId);

    @SqlUpdate("DELETE FROM test_evaluations WHERE run_id = :runId")
    void deleteEvaluation(@Bind("runId") long runId);

    @SqlUpdate("DELETE FROM class_metrics WHERE run_id = :runId")
    void deleteClassMetrics(@Bind("runId") long runId);

    @SqlUpdate("""
            INSERT INTO test_evaluations (run_id, trial_number, model_path, accuracy, macro_f1, confusion, evaluated_at)
            VALUES (:runId, :trialNumber, :modelPath, :accuracy, :macroF1, :confusion, :now)""")
    void insertEvaluation(@BindMethods TestEvaluation evaluation, @Bind("confusion") String confusionJson,
                          @Bind("now") Instant now);

    @SqlBatch("""
            INSERT INTO class_metrics (run_id, class_index, class_name, prec, recall, f1, support)
            VALUES (:runId, :classIndex, :className, :precision, :recall, :f1, :support)""")
    void insertClassMetrics(@Bind("runId") long runId, @BindMethods List<ClassMetrics> metrics);

    @SqlQuery("SELECT run_id, trial_number, model_path, accuracy, macro_f1, confusion FROM test_evaluations WHERE run_id = :runId")
    Optional<EvaluationRow> evaluation(@Bind("runId") long runId);

    @SqlQuery("""
            SELECT class_index, class_name, prec AS precision, recall, f1, support
            FROM class_metrics WHERE run_id = :runId ORDER BY class_index""")
    List<ClassMetrics> classMetrics(@Bind("runId") long runId);

    /** A test_evaluations row, before its JSON confusion matrix is read. */
    record EvaluationRow(long runId, int trialNumber, String modelPath, double accuracy, double macroF1,
                         String confusion) {
    }
}
