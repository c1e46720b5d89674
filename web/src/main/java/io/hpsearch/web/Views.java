package io.hpsearch.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hpsearch.report.TrialView;
import io.hpsearch.store.ClassMetrics;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.trainer.NetworkSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API (see the README's API section); records, serialized by Jackson as they are. */
final class Views {
    private Views() {
    }

    record RunView(long id, String name, String status, String message, String search, String objective,
                   boolean maximise, int maxTrials, long seed, int completed, int failed, int cancelled, int running,
                   int total, Double bestScore, Double testAccuracy, String createdAt, String finishedAt,
                   double durationSeconds) {
        static RunView of(RunSummary s) {
            var r = s.run();
            Instant end = r.finishedAt() != null ? r.finishedAt() : Instant.now();
            return new RunView(r.id(), r.name(), r.status().name(), r.message(), r.searchKind(), r.objective().key(),
                    r.objective().maximise(), r.maxTrials(), r.seed(), s.completed(), s.failed(), s.cancelled(),
                    s.running(), s.total(), s.bestScore(), s.testAccuracy(), r.createdAt().toString(),
                    r.finishedAt() == null ? null : r.finishedAt().toString(),
                    Duration.between(r.createdAt(), end).toMillis() / 1000.0);
        }
    }

    record RunDetail(RunView run, String spaceYaml, Object resolvedSpace, Map<String, String> provenance,
                     List<String> params, TestView test) {
    }

    record ClassView(int index, String name, double precision, double recall, double f1, int support) {
        static ClassView of(ClassMetrics c) {
            return new ClassView(c.classIndex(), c.className(), c.precision(), c.recall(), c.f1(), c.support());
        }
    }

    record TestView(int trialNumber, String modelPath, double accuracy, double macroF1, List<ClassView> classes,
                    int[][] confusion) {
        static TestView of(TestEvaluation e) {
            return new TestView(e.trialNumber(), e.modelPath(), e.accuracy(), e.macroF1(),
                    e.classes().stream().map(ClassView::of).toList(), e.confusion());
        }
    }

    record TrialDetail(TrialView trial, List<EpochMetrics> epochs, NetworkSummary network) {
    }

    record Validation(String name, String search, int plannedTrials, Long gridSize) {
    }

    /** Every error body; file, line, key and problem only for a bad space file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorView(int status, String error, String file, Integer line, String key, String problem) {
        static ErrorView of(int status, String error) {
            return new ErrorView(status, error, null, null, null, null);
        }
    }
}
