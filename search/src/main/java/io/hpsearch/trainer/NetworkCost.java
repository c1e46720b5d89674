package io.hpsearch.trainer;

import io.hpsearch.space.ModelType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import java.util.Map;

import io.hpsearch.data.InputShape;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

import java.util.List;

/** What a network costs to train, relative to others: the multiply-adds of one example's forward pass. */
public final class NetworkCost {
    private NetworkCost() {
    }

    public static long forwardMacs(TrialParams params, InputShape shape, int classes) {
        if (params.type() == ModelType.RESNET) {
            return forwardMacs(ResNetFactory.build(params, 0, shape, classes), shape);
        }
        return forwardMacs(NetworkFactory.build(params, 0, shape, classes), params, shape);
    }

    /** The same for a graph: each layer vertex by the type of activations it produces. */
    static long forwardMacs(ComputationGraphConfiguration conf, InputShape shape) {
        Map<String, InputType> outputs = conf.getLayerActivationTypes(
                NetworkFactory.inputType(ModelType.RESNET, shape));
        long sum = 0;
        for (Map.Entry<String, GraphVertex> vertex : conf.getVertices().entrySet()) {
            if (vertex.getValue() instanceof LayerVertex lv) {
                sum += macs(lv.getLayerConf().getLayer(), outputs.get(vertex.getKey()));
            }
        }
        return sum;
    }

    private static long macs(org.deeplearning4j.nn.conf.layers.Layer layer, InputType output) {
        if (layer instanceof ConvolutionLayer c && output instanceof InputType.InputTypeConvolutional out) {
            long[] k = c.getKernelSize() == null ? new long[]{1, 1}
                    : new long[]{c.getKernelSize()[0], c.getKernelSize()[1]};
            return c.getNIn() * c.getNOut() * k[0] * k[1] * out.getHeight() * out.getWidth();
        }
        if (layer instanceof FeedForwardLayer f && !(layer instanceof BatchNormalization)) {
            return f.getNIn() * f.getNOut();
        }
        return 0;
    }

    /**
     * Dense layers cost inputs x outputs; a convolution, that per output position of its kernel. Batch
     * normalisation, pooling and dropout are elementwise: small beside these, so left out.
     */
    static long forwardMacs(MultiLayerConfiguration conf, TrialParams params, InputShape shape) {
        List<InputType> outputs = conf.getLayerActivationTypes(NetworkFactory.inputType(params.type(), shape));
        long sum = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            sum += macs(conf.getConf(i).getLayer(), outputs.get(i));
        }
        return sum;
    }
}
