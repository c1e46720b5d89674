package io.hpsearch.trainer;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Batch normalisation on the CPU without DL4J's slow statistics. DL4J 1.0.0-M2.1's batch normalisation layer gets
 * no helper (helpers are off by default, {@code org.eclipse.deeplearning4j.helpers.disable}, and the oneDNN one's
 * availability check fails as the convolution's does, see {@link OneDnn}), and its own path computes each
 * minibatch's variance with ND4J's Variance op over batch, height and width, one element at a time through shape
 * arithmetic, then computes mean and variance again in the backward pass: in the augmented search's widest network
 * that was 17 % of a worker's time (perf, 2026-12-02), 90 ms a minibatch for one 64-channel layer at 28x28. This
 * helper computes them once per minibatch by reductions along each image's channel, which lies in one run of
 * memory (about 4x faster), keeps them for the backward pass and for the layer's running averages, and normalises
 * with libnd4j's batchnorm and batchnorm_bp ops (oneDNN's in the -onednn natives), which add the layer's epsilon:
 * what DL4J's MKLDNNBatchNormHelper does, but for the statistics.
 */
final class FastBatchNorm implements BatchNormalizationHelper {
    private static final int CHANNEL_AXIS = 1;
    /**
     * E[x^2] - E[x]^2 loses (E[x^2] / variance) times float's rounding (about 1e-6 here): where that ratio passes
     * 100 in any channel (a mean ten standard deviations from zero, a constant channel), the variance is taken the
     * exact way instead.
     */
    private static final double CANCELLATION = 100;
    /** This minibatch's mean and variance per channel, kept for the backward pass; outside any workspace. */
    private INDArray mean;
    private INDArray variance;
    /** Whether the last forward pass trained, filling {@link #mean} and {@link #variance} from its input. */
    private boolean statistics;

    /** Whether a layer of this configuration can use it: channels first, gamma and beta learned, float. */
    static boolean fits(org.deeplearning4j.nn.conf.layers.BatchNormalization conf, DataType dataType) {
        return dataType == DataType.FLOAT && !conf.isLockGammaBeta() && conf.getCnn2DFormat() == CNN2DFormat.NCHW;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray globalMean, INDArray globalVar, double decay, double eps, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        statistics = false;
        if (x.dataType() != DataType.FLOAT || !(x.rank() == 2 || x.rank() == 4 && format == CNN2DFormat.NCHW)) {
            return null; // DL4J's own path
        }
        x = contiguous(x);
        INDArray m;
        INDArray v;
        if (training) {
            computeStatistics(x);
            statistics = true;
            m = mean;
            v = variance;
        } else {
            m = vector(globalMean);
            v = vector(globalVar);
        }
        DynamicCustomOp op = DynamicCustomOp.builder("batchnorm")
                .addInputs(x, m, v, vector(gamma), vector(beta))
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(eps)
                .build();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        op.setOutputArgument(0, out);
        Nd4j.exec(op);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (dGammaView == null || dBetaView == null) {
            return null; // gamma and beta locked: never attached to such a layer (fits), DL4J's own path
        }
        input = contiguous(input);
        if (!statistics) {
            // The last forward pass was in inference mode (the running averages): the gradient is the batch's.
            computeStatistics(input);
        }
        DynamicCustomOp op = DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(input, mean, variance, vector(gamma), vector(beta), contiguous(epsilon))
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(eps)
                .build();
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                input.shape());
        op.setOutputArgument(0, inputGradient);
        op.setOutputArgument(1, workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, mean.dataType(),
                mean.shape()));
        op.setOutputArgument(2, workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, mean.dataType(),
                mean.shape()));
        op.setOutputArgument(3, vector(dGammaView));
        op.setOutputArgument(4, vector(dBetaView));
        Nd4j.exec(op);
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor("gamma", dGammaView);
        gradient.setGradientFor("beta", dBetaView);
        return new Pair<>(gradient, inputGradient);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return mean;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return variance;
    }

    /**
     * Mean and (biased) variance per channel of a [batch, channels, height, width] array (DL4J hands dense layers'
     * [batch, channels] over as [batch, channels, 1, 1]): each image's channel is one run, reduced along its length.
     */
    private void computeStatistics(INDArray x) {
        long batch = x.size(0);
        long channels = x.size(CHANNEL_AXIS);
        long pixels = x.length() / (batch * channels);
        if (mean == null || mean.length() != channels) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                mean = Nd4j.createUninitialized(x.dataType(), channels);
                variance = Nd4j.createUninitialized(x.dataType(), channels);
            }
        }
        double count = (double) batch * pixels;
        INDArray runs = x.reshape('c', batch, channels, pixels);
        mean.assign(runs.sum(2).sum(0).divi(count));
        INDArray meanSquare = Nd4j.exec(new SquaredNorm(runs, 2)).sum(0).divi(count);
        INDArray fast = meanSquare.sub(mean.mul(mean));
        // Also catches a variance rounded below zero: meanSquare is never negative.
        if (fast.mul(CANCELLATION).lt(meanSquare).any()) {
            // The law of total variance: the mean of each run's variance plus the variance of the runs' means. (ND4J
            // returns no array for a variance along an axis of length 1: one pixel, one image.)
            variance.assign(0);
            if (pixels > 1) {
                variance.addi(runs.var(false, 2).mean(0));
            }
            if (batch > 1) {
                variance.addi(runs.mean(2).var(false, 0));
            }
        } else {
            variance.assign(fast);
        }
    }

    /** The array with default strides (c or f order), as the ops take it; a copy if it is a strided view. */
    private static INDArray contiguous(INDArray array) {
        return Shape.hasDefaultStridesForShape(array) ? array : array.dup('c');
    }

    /** Gamma, beta and the statistics as the ops take them: one value per channel, rank 1. */
    private static INDArray vector(INDArray array) {
        return array.rank() == 1 ? array : array.reshape(array.length());
    }
}
