package io.hpsearch.store;

import java.util.List;

/**
 * The best network of a run, evaluated once on the test set.
 *
 * @param confusion counts indexed [actual class][predicted class]
 */
public record TestEvaluation(long runId, int trialNumber, String modelPath, double accuracy, double macroF1,
                             List<ClassMetrics> classes, int[][] confusion) {

    public TestEvaluation {
        classes = List.copyOf(classes);
    }
}
