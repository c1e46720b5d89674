package io.hpsearch.trainer;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.FloatBuffer;

/**
 * Adam's step with the arithmetic in Java, where the JIT vectorises it. ND4J 1.0.0-M2.1 computes it with libnd4j's
 * adam_updater op, one element at a time: 2.8-3.2 ms on one core here for the 1.19 M weights of the 4 x 512 MLP, a
 * fifth of its training step. The same formula over chunks copied to the heap and back takes 1.0 ms (0.2-0.4 ms of
 * it arithmetic, the rest the copies), measured side by side in one process. The moments stay where DL4J keeps them,
 * in the updater's state array (checkpoints and learning-rate schedules see no difference), and the update is
 * written into the gradient, as the op writes it: only the loop is replaced.
 *
 * <p>The formula is libnd4j's (ops/declarable/helpers/cpu/updaterAdam.cpp): m = b1 m + (1 - b1) g,
 * v = b2 v + (1 - b2) g^2, update = m a / (sqrt(v) + epsilon) with a = lr sqrt(1 - b2^t) / (1 - b1^t), t the
 * iteration plus one. Arrays it cannot read as one run of floats keep ND4J's op.
 */
final class FastAdam extends AdamUpdater {
    /** Elements per copy: the three chunks (96 KB) stay in the core's L2 cache while they are computed. */
    private static final int CHUNK = 8192;
    private final float[] g = new float[CHUNK];
    private final float[] m = new float[CHUNK];
    private final float[] v = new float[CHUNK];

    private FastAdam(AdamUpdater original) {
        super(original.getConfig());
        setM(original.getM());
        setV(original.getV());
        setGradientReshapeOrder(original.getGradientReshapeOrder());
    }

    /**
     * Puts this updater in place of each block's plain Adam, with the same state arrays. Called after anything that
     * builds the network's updater again (a learning-rate schedule does).
     */
    static void attach(Updater updater) {
        if (!(updater instanceof BaseMultiLayerUpdater<?> layers)) {
            return;
        }
        for (UpdaterBlock block : layers.getUpdaterBlocks()) {
            if (block.getGradientUpdater() == null) {
                block.init();
            }
            if (block.getGradientUpdater().getClass() == AdamUpdater.class) {
                block.setGradientUpdater(new FastAdam((AdamUpdater) block.getGradientUpdater()));
            }
        }
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        INDArray moment = getM();
        INDArray square = getV();
        if (moment == null || square == null) {
            throw new IllegalStateException("Updater has not been initialized with view state");
        }
        if (!oneRun(gradient) || !oneRun(moment) || !oneRun(square) || moment.length() != gradient.length()
                || square.length() != gradient.length()) {
            super.applyUpdater(gradient, iteration, epoch);
            return;
        }
        Adam config = getConfig();
        float beta1 = (float) config.getBeta1();
        float beta2 = (float) config.getBeta2();
        float epsilon = (float) config.getEpsilon();
        double beta1T = Math.pow(beta1, iteration + 1);
        double beta2T = Math.pow(beta2, iteration + 1);
        float alpha = (float) (config.getLearningRate(iteration, epoch) * Math.sqrt(1 - beta2T) / (1 - beta1T));
        if (Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0) {
            alpha = epsilon; // as libnd4j does
        }
        FloatBuffer gradients = gradient.data().asNioFloat();
        FloatBuffer moments = moment.data().asNioFloat();
        FloatBuffer squares = square.data().asNioFloat();
        // A view's buffer covers its whole allocation, positioned at the view's first element.
        int g0 = gradients.position();
        int m0 = moments.position();
        int v0 = squares.position();
        int n = (int) gradient.length();
        for (int from = 0; from < n; from += CHUNK) {
            int length = Math.min(CHUNK, n - from);
            gradients.get(g0 + from, g, 0, length);
            moments.get(m0 + from, m, 0, length);
            squares.get(v0 + from, v, 0, length);
            step(length, beta1, beta2, epsilon, alpha);
            gradients.put(g0 + from, g, 0, length);
            moments.put(m0 + from, m, 0, length);
            squares.put(v0 + from, v, 0, length);
        }
    }

    /** The loop the JIT vectorises: plain float arrays, no calls. */
    private void step(int length, float beta1, float beta2, float epsilon, float alpha) {
        float[] g = this.g;
        float[] m = this.m;
        float[] v = this.v;
        for (int i = 0; i < length; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + gi * (1 - beta1);
            float vi = beta2 * v[i] + gi * gi * (1 - beta2);
            m[i] = mi;
            v[i] = vi;
            g[i] = mi * alpha / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    /** Whether an array is floats lying in one run of memory in its elements' order (a vector, stride 1). */
    private static boolean oneRun(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.isVector() && array.elementWiseStride() == 1
                && array.length() < Integer.MAX_VALUE;
    }
}
