package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Copies rows of the shared, read-only example arrays into a worker's own minibatch arrays. */
final class Batches {
    private Batches() {
    }

    /** Rows order[from..to) as a minibatch with one-hot labels, each image augmented when {@code augmenter} is set. */
    static DataSet gather(Examples examples, int[] order, int from, int to, int classes, Augmenter augmenter) {
        int n = to - from;
        int width = examples.featureCount();
        float[] x = new float[n * width];
        float[] y = new float[n * classes];
        for (int i = 0; i < n; i++) {
            int row = order[from + i];
            System.arraycopy(examples.features(), row * width, x, i * width, width);
            if (augmenter != null) {
                augmenter.apply(x, i * width);
            }
            y[i * classes + examples.labels()[row]] = 1f;
        }
        return new DataSet(Nd4j.create(x, new long[]{n, width}, 'c'), Nd4j.create(y, new long[]{n, classes}, 'c'));
    }

    /** Rows [from, to) as a feature matrix, for inference. */
    static INDArray features(Examples examples, int from, int to) {
        int width = examples.featureCount();
        float[] x = new float[(to - from) * width];
        System.arraycopy(examples.features(), from * width, x, 0, x.length);
        return Nd4j.create(x, new long[]{to - from, width}, 'c');
    }
}
