package io.hpsearch.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.store.ClassMetrics;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.Store;
import io.hpsearch.store.Worker;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.trainer.NetworkSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API (see the README's API section); records, serialized by Jackson as they are. */
public final class Views {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Views() {
    }

    public record RunView(long id, String name, String status, String message, String search, String objective,
                   boolean maximise, int maxTrials, long seed, int completed, int pruned, int failed, int cancelled,
                   int running,
                   int total, Double bestScore, Double testAccuracy, String createdAt, String finishedAt,
                   double durationSeconds) {
        public static RunView of(RunSummary s) {
            var r = s.run();
            Instant end = r.finishedAt() != null ? r.finishedAt() : Instant.now();
            return new RunView(r.id(), r.name(), r.status().name(), r.message(), r.searchKind(), r.objective().key(),
                    r.objective().maximise(), r.maxTrials(), r.seed(), s.completed(), s.pruned(), s.failed(), s.cancelled(),
                    s.running(), s.total(), s.bestScore(), s.testAccuracy(), r.createdAt().toString(),
                    r.finishedAt() == null ? null : r.finishedAt().toString(),
                    Duration.between(r.createdAt(), end).toMillis() / 1000.0);
        }
    }

    /** @param executions times each trial trains (executions_per_trial) */
    /** @param data the data the run trained on (files, hashes, counts, shape, classes); empty before it starts */
    /**
     * A process that works or worked on the run, for the run page's workers panel: its machine and process id, the
     * run's trials it finished, the one it trains now (null for none), and its last heartbeat's age in seconds, by
     * the database's clock.
     */
    public record WorkerView(String host, long pid, String startedAt, int trialsDone, Integer currentTrial,
                             double heartbeatSecondsAgo) {
        static WorkerView of(Worker w) {
            return new WorkerView(w.host(), w.pid(), w.startedAt().toString(), w.trialsDone(), w.currentTrial(),
                    w.secondsSinceHeartbeat());
        }
    }

    public record RunDetail(RunView run, String spaceYaml, Object resolvedSpace, int executions,
                            Map<String, String> provenance, Map<String, Object> data, List<String> params,
                            TestView test, List<WorkerView> workers) {
        public static RunDetail of(Store store, RunSummary summary) {
            Run run = summary.run();
            Map<String, Object> resolved = resolvedSpace(run);
            return new RunDetail(RunView.of(summary), run.spaceYaml(), resolved, executions(resolved),
                    Map.of("java", run.javaVersion(), "dl4j", run.dl4jVersion(), "hpsearch", run.hpsearchVersion()),
                    RunData.of(store, run.id()).json(),
                    RankedTrials.paramNames(store.distinctParams(run.id()).stream().map(RankedTrials::parse).toList()),
                    store.testEvaluation(run.id()).map(TestView::of).orElse(null),
                    store.workers(run.id()).stream().map(WorkerView::of).toList());
        }

        /** executions_per_trial as the run resolved it (1 for runs recorded before the key existed). */
        private static int executions(Map<String, Object> resolved) {
            Object training = resolved.get("training");
            Object value = training instanceof Map<?, ?> t ? t.get("executions_per_trial") : null;
            return value instanceof Number n ? n.intValue() : 1;
        }

        /** The run's resolved space as stored (see SpaceSpec.describe). */
        public static Map<String, Object> resolvedSpace(Run run) {
            return readJson(run.resolvedSpace());
        }

        private static Map<String, Object> readJson(String json) {
            try {
                return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored resolved space is not JSON: " + json, e);
            }
        }
    }

    public record ClassView(int index, String name, double precision, double recall, double f1, int support) {
        public static ClassView of(ClassMetrics c) {
            return new ClassView(c.classIndex(), c.className(), c.precision(), c.recall(), c.f1(), c.support());
        }
    }

    public record TestView(int trialNumber, String modelPath, double accuracy, double macroF1, List<ClassView> classes,
                    int[][] confusion) {
        public static TestView of(TestEvaluation e) {
            return new TestView(e.trialNumber(), e.modelPath(), e.accuracy(), e.macroF1(),
                    e.classes().stream().map(ClassView::of).toList(), e.confusion());
        }
    }

    /**
     * One trial's objective after each epoch of its first execution (Optuna's intermediate values), for the
     * run page's chart of every trial's curve; a value that is not a number (a diverged loss) is null.
     */
    public record CurveView(int number, String state, Double[] values) {
    }

    /**
     * Runs side by side: each run's best score so far against the epochs its trials have consumed.
     *
     * @param objective what every run optimises (runs that differ are refused)
     */
    public record Comparison(String objective, boolean maximise, List<ComparedRun> runs) {
    }

    /** @param points one per finished trial, in the order they finished */
    public record ComparedRun(long id, String name, String status, String search, int trials, List<EpochPoint> points) {
    }

    /**
     * @param epochs epochs the run had trained when this trial finished: every trial's, on every worker, this one's
     *               included (completed, pruned, failed, cancelled: all trained)
     * @param best   the best completed trial's score so far, null before the first completes
     * @param trial  the trial that finished here
     * @param state  how it finished
     */
    public record EpochPoint(long epochs, Double best, int trial, String state) {
    }

    public record TrialDetail(TrialView trial, List<EpochMetrics> epochs, NetworkSummary network) {
    }

    /**
     * A space that would run.
     *
     * @param notes what reading its data noticed and the run would go on without: a folder's entries that are not
     *              images hpsearch reads
     */
    public record Validation(String name, String search, int plannedTrials, Long gridSize, List<String> notes) {
    }

    /** Every error body; file, line, key and problem only for a bad space file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorView(int status, String error, String file, Integer line, String key, String problem) {
        public static ErrorView of(int status, String error) {
            return new ErrorView(status, error, null, null, null, null);
        }
    }
}
