package io.hpsearch.store;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;

/** The fixed queries on workers. */
interface WorkerDao {
    @SqlUpdate("INSERT INTO workers (host, pid, started_at, heartbeat_at) VALUES (:host, :pid, :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("host") String host, @Bind("pid") long pid, @Bind("now") Instant now);

    @SqlUpdate("UPDATE workers SET heartbeat_at = :now, run_id = :runId WHERE id = :id")
    int heartbeat(@Bind("id") long id, @Bind("runId") Long runId, @Bind("now") Instant now);

    @SqlQuery("""
            SELECT w.id, w.host, w.pid, w.started_at, w.heartbeat_at,
                   (SELECT COUNT(*) FROM trials t WHERE t.worker_id = w.id AND t.run_id = :runId
                                                    AND t.state IN ('COMPLETED', 'PRUNED', 'FAILED')) AS trials_done,
                   (SELECT MIN(t.trial_number) FROM trials t WHERE t.worker_id = w.id AND t.run_id = :runId
                                                               AND t.state = 'RUNNING') AS current_trial
            FROM workers w
            WHERE w.run_id = :runId OR w.id IN (SELECT worker_id FROM trials WHERE run_id = :runId)
            ORDER BY w.id""")
    List<Row> rows(@Bind("runId") long runId);

    /**
     * The run's workers, each heartbeat's age computed here against {@code now}, the database's time (interval
     * arithmetic is written differently by H2 and PostgreSQL).
     */
    default List<Worker> ofRun(long runId, Instant now) {
        return rows(runId).stream().map(w -> new Worker(w.id(), w.host(), w.pid(), w.startedAt(), w.heartbeatAt(),
                w.trialsDone(), w.currentTrial(), Math.max(0, (now.toEpochMilli() - w.heartbeatAt().toEpochMilli())
                / 1000.0))).toList();
    }

    /** A workers row with its counts for one run, before the heartbeat's age is known. */
    record Row(long id, String host, long pid, Instant startedAt, Instant heartbeatAt, int trialsDone,
               Integer currentTrial) {
    }
}
