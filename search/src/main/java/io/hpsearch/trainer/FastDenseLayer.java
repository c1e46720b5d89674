package io.hpsearch.trainer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's dense layer with its three matrix products laid out for the BLAS, and without the one nobody reads.
 * DL4J 1.0.0-M2.1's {@code BaseLayer} multiplies through {@code mmuli} into arrays whose layout the product does not
 * produce (a column-major weight gradient, a column-major input gradient then transposed), and ND4J answers with a
 * slower path and copies: on one core here a 128 x 512 by 512 x 512 product took 1.1 ms forward, 0.85 ms for the
 * weight gradient and 1.0 ms for the input gradient, against 0.46-0.53 ms for each as a plain gemm into the layout it
 * writes (bench/README.md, "Dense layers"). And {@code MultiLayerNetwork} asks layer 0 for the gradient with respect
 * to the network's input, which nothing reads: for an MLP on 784 pixels, a product as large as the first layer's
 * forward pass. This layer computes the same activations and gradients (to float rounding) with {@code Nd4j.gemm} into
 * row-major arrays, the weight gradient written as its transpose into the same column-major view, skips the
 * input gradient of the first layer, and keeps the forward pass's pre-activation for backprop, which DL4J computes
 * again with a fourth product.
 *
 * <p>Only the plain case is taken over: layer normalisation, a mask or weight noise keep DL4J's code. The
 * configuration is untouched, so saved models are plain DL4J's and load without hpsearch.
 */
final class FastDenseLayer extends DenseLayer {
    private static final String W = DefaultParamInitializer.WEIGHT_KEY;
    private static final String B = DefaultParamInitializer.BIAS_KEY;
    /** False for a network's first layer, whose input gradient nothing reads. */
    private final boolean inputGradient;
    /**
     * The pre-activation of the last training forward pass, and the input it was computed from: DL4J's backprop
     * computes it again (a fourth product per layer and step, as large as the forward one), this layer takes it from
     * here. It lives in the activations' workspace, which MultiLayerNetwork keeps open from the forward pass through
     * backprop; taken once, and dropped by any other forward pass or clear().
     */
    private INDArray forwardZ;
    private INDArray forwardInput;

    private FastDenseLayer(DenseLayer original, boolean inputGradient) {
        super(original.conf(), original.getDataType());
        this.inputGradient = inputGradient;
        setIndex(original.getIndex());
        setListeners(original.getListeners());
        setCacheMode(original.getCacheMode());
        setParamsViewArray(original.params());
        setParamTable(original.paramTable());
        if (original.getGradientsViewArray() != null) {
            setBackpropGradientsViewArray(original.getGradientsViewArray());
        }
        setIterationCount(original.getIterationCount());
        setEpochCount(original.getEpochCount());
    }

    /**
     * Puts this layer in place of each of an initialised network's plain dense layers; does nothing to a network
     * that has trained (its updater, made on the first fit, holds the layers it was made with). Returns the network.
     */
    static MultiLayerNetwork attach(MultiLayerNetwork network) {
        if (network.getUpdater(false) != null) {
            return network;
        }
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].getClass() == DenseLayer.class) {
                // An input preprocessor on layer 0 would be handed its input gradient.
                boolean first = i == 0 && network.getLayerWiseConfigurations().getInputPreProcess(0) == null;
                layers[i] = new FastDenseLayer((DenseLayer) layers[i], !first);
            }
        }
        return network;
    }

    /** Whether DL4J's own code handles this layer: the cases this class does not take over. */
    private boolean dl4jsCase() {
        return hasLayerNorm() || maskArray != null || layerConf().getWeightNoise() != null || input == null
                || input.rank() != 2 || input.size(1) != getParam(W).size(0);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                            LayerWorkspaceMgr workspaceMgr) {
        if (dl4jsCase()) {
            return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
        }
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray weights = getParam(W);
        INDArray in = input.castTo(weights.dataType());
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, weights.dataType(),
                new long[]{in.size(0), weights.size(1)}, 'c');
        Nd4j.gemm(in, weights, z, false, false, 1.0, 0.0);
        if (hasBias()) {
            z.addiRowVector(getParam(B));
        }
        return new Pair<>(z, z);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        forwardZ = null;
        forwardInput = null;
        if (!training || dl4jsCase()) {
            return super.activate(training, workspaceMgr);
        }
        INDArray z = preOutputWithPreNorm(true, false, workspaceMgr).getFirst();
        // DL4J's activation functions overwrite their argument: they get a copy, z stays for backprop.
        INDArray activation = layerConf().getActivationFn()
                .getActivation(workspaceMgr.dup(ArrayType.ACTIVATIONS, z), true);
        forwardZ = z;
        forwardInput = input;
        return activation;
    }

    @Override
    public void clear() {
        super.clear();
        forwardZ = null;
        forwardInput = null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (dl4jsCase()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray z = forwardZ != null && forwardInput == input ? forwardZ
                : preOutputWithPreNorm(true, true, workspaceMgr).getFirst();
        forwardZ = null;
        forwardInput = null;
        INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
        // The same gradients, in the same order, as BaseLayer.backpropGradient: bias, then weights.
        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            INDArray biasGradient = gradientViews.get(B);
            delta.sum(biasGradient, 0);
            gradient.gradientForVariable().put(B, biasGradient);
        }
        INDArray weightGradient = gradientViews.get(W);
        // The column-major nIn x nOut gradient is, in memory, the row-major nOut x nIn delta^T x input.
        Nd4j.gemm(delta, input.castTo(weightGradient.dataType()), weightGradient.transpose(), true, false, 1.0, 0.0);
        gradient.gradientForVariable().put(W, weightGradient);
        if (!inputGradient) {
            // DL4J's dropout drops its mask when the input gradient passes back through it; nothing passes here.
            IDropout dropout = layerConf().getIDropout();
            if (dropout != null) {
                dropout.clear();
            }
            return new Pair<>(gradient, null);
        }
        INDArray weights = getParam(W);
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[]{delta.size(0), weights.size(0)}, 'c');
        Nd4j.gemm(delta, weights, inputGrad, false, true, 1.0, 0.0);
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGrad));
    }
}
