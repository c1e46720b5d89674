package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import io.hpsearch.store.ClassMetrics;
import io.hpsearch.store.TestEvaluation;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.nd4j.evaluation.classification.Evaluation;

import java.util.ArrayList;
import java.util.List;

/** The single look at the test set a run allows itself: its best network, evaluated once. */
public final class TestEvaluator {
    private TestEvaluator() {
    }

    public static TestEvaluation evaluate(Net network, Examples test, List<String> classNames,
                                          long runId, int trialNumber, String modelPath) {
        int classes = classNames.size();
        Evaluation eval = new Evaluation(classNames);
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        int step = TrialTrainer.evalBatch(network);
        for (int from = 0; from < test.size(); from += step) {
            int to = Math.min(test.size(), from + step);
            var batch = Batches.gather(test, all, from, to, classes, null);
            eval.eval(batch.getLabels(), network.output(batch.getFeatures()));
        }
        List<ClassMetrics> perClass = new ArrayList<>();
        int[][] confusion = new int[classes][classes];
        ConfusionMatrix<Integer> matrix = eval.getConfusionMatrix();
        for (int c = 0; c < classes; c++) {
            // Evaluation answers 0 for a class never predicted, rather than NaN: keep that.
            perClass.add(new ClassMetrics(c, classNames.get(c), eval.precision(c), eval.recall(c), eval.f1(c),
                    eval.classCount(c)));
            for (int p = 0; p < classes; p++) {
                confusion[c][p] = matrix.getCount(c, p);
            }
        }
        // The mean of the per-class F1 scores: DL4J's own macro average of a 2-class evaluation reports the
        // positive class's F1 alone (binary mode), which is not what the column means.
        double macroF1 = perClass.stream().mapToDouble(ClassMetrics::f1).average().orElse(0);
        return new TestEvaluation(runId, trialNumber, modelPath, eval.accuracy(), macroF1, perClass, confusion);
    }
}
