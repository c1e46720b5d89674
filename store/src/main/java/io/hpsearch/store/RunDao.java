package io.hpsearch.store;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The fixed queries on runs. */
interface RunDao {

    @SqlUpdate("""
            INSERT INTO runs (name, space_yaml, resolved_space, search_kind, objective, max_trials, seed, status,
                              java_version, dl4j_version, hpsearch_version, created_at, heartbeat_at)
            VALUES (:name, :spaceYaml, :resolvedSpace, :searchKind, :objective, :maxTrials, :seed, :status,
                    :javaVersion, :dl4jVersion, :hpsearchVersion, :now, :now)""")
    @GetGeneratedKeys("id")
    long insert(@BindMethods NewRun run, @Bind("status") RunStatus status, @Bind("now") Instant now);

    @SqlUpdate("UPDATE runs SET status = 'RUNNING', heartbeat_at = :now WHERE id = :id AND status = 'QUEUED'")
    int start(@Bind("id") long id, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE runs SET status = 'CANCELLED', message = 'cancelled while it waited in the queue', finished_at = :now,
                            cancel_requested = TRUE
            WHERE id = :id AND status = 'QUEUED'""")
    int cancelQueued(@Bind("id") long id, @Bind("now") Instant now);

    /** An interrupted run that workers would take up again: cancelled, it waits for an explicit resume. */
    @SqlUpdate("""
            UPDATE runs SET status = 'CANCELLED', message = 'cancelled after it was interrupted', finished_at = :now,
                            cancel_requested = TRUE
            WHERE id = :id AND status = 'INTERRUPTED'""")
    int cancelInterrupted(@Bind("id") long id, @Bind("now") Instant now);

    /** Only a running run can be asked to stop; returns 0 for a finished or unknown one. */
    @SqlUpdate("UPDATE runs SET cancel_requested = TRUE WHERE id = :id AND status = 'RUNNING'")
    int requestCancel(@Bind("id") long id);

    @SqlUpdate("UPDATE runs SET heartbeat_at = :now WHERE id = :id AND status = 'RUNNING'")
    int heartbeat(@Bind("id") long id, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE runs SET status = 'INTERRUPTED', finished_at = :now,
                            message = 'interrupted: the process running it stopped (no heartbeat since '
                                      || CAST(heartbeat_at AS VARCHAR) || ')'
            WHERE status = 'RUNNING' AND heartbeat_at < :cutoff""")
    int interruptStale(@Bind("cutoff") Instant cutoff, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE runs SET status = :status, message = NULL, finished_at = NULL, cancel_requested = FALSE,
                            heartbeat_at = :now, finishing_worker = NULL
            WHERE id = :id AND status IN ('INTERRUPTED', 'CANCELLED')""")
    int resume(@Bind("id") long id, @Bind("status") RunStatus status, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE runs SET finishing_worker = :workerId
            WHERE id = :id AND status = 'RUNNING' AND finishing_worker IS NULL
              AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.run_id = :id AND (t.state = 'RUNNING'
                                 OR (t.state = 'INTERRUPTED' AND t.retries < :maxRetries)))""")
    int claimFinish(@Bind("id") long id, @Bind("workerId") long workerId, @Bind("maxRetries") int maxRetries);

    /** Starts a run's time budget; a budget already started (by another worker, or before a resume) stays. */
    @SqlUpdate("UPDATE runs SET deadline = :deadline WHERE id = :id AND deadline IS NULL")
    int startTimeBudget(@Bind("id") long id, @Bind("deadline") Instant deadline);

    @SqlUpdate("UPDATE runs SET deadline = :deadline WHERE id = :id")
    int setDeadline(@Bind("id") long id, @Bind("deadline") Instant deadline);

    @SqlQuery("SELECT heartbeat_at FROM runs WHERE id = :id")
    Optional<Instant> heartbeatAt(@Bind("id") long id);

    @SqlQuery("SELECT cancel_requested FROM runs WHERE id = :id")
    boolean cancelRequested(@Bind("id") long id);

    @SqlQuery("SELECT * FROM runs WHERE id = :id")
    Optional<Run> find(@Bind("id") long id);

    @SqlUpdate("UPDATE runs SET status = :status, message = :message, finished_at = :now WHERE id = :id")
    int finish(@Bind("id") long id, @Bind("status") RunStatus status, @Bind("message") String message,
               @Bind("now") Instant now);

    /** A run with its trial counts, best score and test accuracy; filtered between this and {@link #GROUPED}. */
    String SUMMARY = """
            SELECT r.*,
                   COUNT(CASE WHEN t.state = 'COMPLETED' THEN 1 END) AS completed,
                   COUNT(CASE WHEN t.state = 'PRUNED' THEN 1 END) AS pruned,
                   COUNT(CASE WHEN t.state = 'FAILED' THEN 1 END) AS failed,
                   COUNT(CASE WHEN t.state = 'CANCELLED' THEN 1 END) AS cancelled,
                   COUNT(CASE WHEN t.state = 'RUNNING' THEN 1 END) AS running,
                   CASE WHEN r.objective = 'VAL_LOSS'
                        THEN MIN(CASE WHEN t.state = 'COMPLETED' THEN t.score END)
                        ELSE MAX(CASE WHEN t.state = 'COMPLETED' THEN t.score END) END AS best_score,
                   e.accuracy AS test_accuracy
            FROM runs r
            LEFT JOIN trials t ON t.run_id = r.id
            LEFT JOIN test_evaluations e ON e.run_id = r.id
            """;
    String GROUPED = " GROUP BY r.id, e.accuracy";

    @SqlQuery(SUMMARY + GROUPED + " ORDER BY r.id DESC")
    List<RunSummary> summaries();

    @SqlQuery(SUMMARY + " WHERE r.id = :id" + GROUPED)
    Optional<RunSummary> summary(@Bind("id") long id);
}
