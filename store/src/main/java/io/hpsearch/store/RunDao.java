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
                              java_version, dl4j_version, hpsearch_version, created_at)
            VALUES (:name, :spaceYaml, :resolvedSpace, :searchKind, :objective, :maxTrials, :seed, 'RUNNING',
                    :javaVersion, :dl4jVersion, :hpsearchVersion, :now)""")
    @GetGeneratedKeys("id")
    long insert(@BindMethods NewRun run, @Bind("now") Instant now);

    @SqlQuery("SELECT * FROM runs WHERE id = :id")
    Optional<Run> find(@Bind("id") long id);

    @SqlUpdate("UPDATE runs SET status = :status, message = :message, finished_at = :now WHERE id = :id")
    int finish(@Bind("id") long id, @Bind("status") RunStatus status, @Bind("message") String message,
               @Bind("now") Instant now);

    @SqlQuery("""
            SELECT r.*,
                   COUNT(CASE WHEN t.state = 'COMPLETED' THEN 1 END) AS completed,
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
            GROUP BY r.id, e.accuracy
            ORDER BY r.id DESC""")
    List<RunSummary> summaries();
}
