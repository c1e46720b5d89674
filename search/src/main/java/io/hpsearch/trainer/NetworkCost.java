package io.hpsearch.trainer;

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
        return forwardMacs(NetworkFactory.build(params, 0, shape, classes), params, shape);
    }

    /**
     * Dense layers cost inputs x outputs; a convolution, that per output position of its kernel. Batch
     * normalisation, pooling and dropout are elementwise: small beside these, so left out.
     */
    static long forwardMacs(MultiLayerConfiguration conf, TrialParams params, InputShape shape) {
        List<InputType> outputs = conf.getLayerActivationTypes(NetworkFactory.inputType(params.type(), shape));
        long sum = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            var layer = conf.getConf(i).getLayer();
            if (layer instanceof ConvolutionLayer c && outputs.get(i) instanceof InputType.InputTypeConvolutional out) {
                long[] k = c.getKernelSize() == null ? new long[]{1, 1}
                        : new long[]{c.getKernelSize()[0], c.getKernelSize()[1]};
                sum += c.getNIn() * c.getNOut() * k[0] * k[1] * out.getHeight() * out.getWidth();
            } else if (layer instanceof FeedForwardLayer f && !(layer instanceof BatchNormalization)) {
                sum += f.getNIn() * f.getNOut();
            }
        }
        return sum;
    }
}
