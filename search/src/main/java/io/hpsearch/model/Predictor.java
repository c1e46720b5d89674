package io.hpsearch.model;

import io.hpsearch.data.Encoding;
import io.hpsearch.data.Examples;
import io.hpsearch.trainer.Net;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** A saved model's class probabilities for new examples. */
public final class Predictor {
    /** Examples per inference call: big enough to amortise the call, small enough for a convolution's maps. */
    private static final int BATCH = 256;

    private Predictor() {
    }

    /**
     * @param probabilities {@code ids.size() x classes.size()} values, row-major
     * @param predicted     per example, the index of its most probable class
     * @param labels        per example, the index of its class, or -1 where the input gives none
     * @param labelled      whether the input gives labels (for some examples at least)
     */
    public record Predictions(List<String> ids, List<String> classes, float[] probabilities, int[] predicted,
                              int[] labels, boolean labelled) {
        /** Share of labelled examples predicted right. */
        public double accuracy() {
            int right = 0;
            for (int i = 0; i < predicted.length; i++) {
                if (labels[i] >= 0 && predicted[i] == labels[i]) {
                    right++;
                }
            }
            int n = labelledCount();
            return n == 0 ? 0 : (double) right / n;
        }

        /** Examples whose input gives their class. */
        public int labelledCount() {
            int n = 0;
            for (int label : labels) {
                if (label >= 0) {
                    n++;
                }
            }
            return n;
        }
    }

    public static Predictions predict(ModelFile.Model model, Encoding.Inputs inputs) {
        Net network = model.network();
        Examples x = inputs.examples();
        int classes = model.classes().size();
        int width = x.featureCount();
        float[] probabilities = new float[x.size() * classes];
        for (int from = 0; from < x.size(); from += BATCH) {
            int to = Math.min(x.size(), from + BATCH);
            float[] batch = new float[(to - from) * width];
            System.arraycopy(x.features(), from * width, batch, 0, batch.length);
            float[] out = network.output(Nd4j.create(batch, new long[]{to - from, width}, 'c')).data()
                    .asFloat();
            System.arraycopy(out, 0, probabilities, from * classes, out.length);
        }
        int[] predicted = new int[x.size()];
        for (int i = 0; i < predicted.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (probabilities[i * classes + c] > probabilities[i * classes + best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return new Predictions(inputs.ids(), model.classes(), probabilities, predicted, x.labels(), inputs.labelled());
    }
}
