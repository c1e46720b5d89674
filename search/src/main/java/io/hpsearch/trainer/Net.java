package io.hpsearch.trainer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

import java.util.Arrays;

/**
 * A trained or training network, whichever DL4J type holds it: a {@link MultiLayerNetwork} (a stack: MLPs, plain
 * CNNs) or a {@link ComputationGraph} (residual networks, whose shortcuts a stack cannot express). The one place
 * that tells them apart, so that the trainer, the test evaluation, the model file and prediction take either.
 */
public final class Net implements AutoCloseable {
    private final MultiLayerNetwork stack;
    private final ComputationGraph graph;

    private Net(MultiLayerNetwork stack, ComputationGraph graph) {
        this.stack = stack;
        this.graph = graph;
    }

    public static Net of(MultiLayerNetwork network) {
        return new Net(network, null);
    }

    public static Net of(ComputationGraph network) {
        return new Net(null, network);
    }

    /** Whether it is a graph (stored and restored as one). */
    public boolean isGraph() {
        return graph != null;
    }

    /** The DL4J model, for its serializer. */
    public Model model() {
        return stack != null ? stack : graph;
    }

    public void fit(DataSet batch) {
        if (stack != null) {
            stack.fit(batch);
        } else {
            graph.fit(batch);
        }
    }

    /** The last minibatch's loss. */
    public double score() {
        return model().score();
    }

    public INDArray params() {
        return model().params();
    }

    public void setParams(INDArray params) {
        model().setParams(params);
    }

    public long numParams() {
        return model().numParams();
    }

    /** Class probabilities for a batch of examples, in inference mode (no dropout, batch norm's running means). */
    public INDArray output(INDArray features) {
        return stack != null ? stack.output(features, false) : graph.outputSingle(false, features);
    }

    public Layer[] layers() {
        return stack != null ? stack.getLayers() : graph.getLayers();
    }

    /** Whether any layer is a convolution (inference then goes in smaller batches). */
    public boolean convolutional() {
        return Arrays.stream(layers()).anyMatch(l -> l.conf().getLayer() instanceof ConvolutionLayer);
    }

    /** Frees its native memory at once (weights, gradients, updater state, workspaces). */
    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        } else {
            graph.close();
        }
    }
}
