package io.hpsearch.trainer;

import io.hpsearch.data.InputShape;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a trial's network looks like, read off the network the trainer builds (not recomputed from the parameters),
 * so that the summary cannot drift from what was trained.
 *
 * @param totalParams parameters DL4J holds for the network (weights, biases, batch-norm statistics)
 */
public record NetworkSummary(List<LayerSummary> layers, long totalParams) {

    /**
     * @param inputs  inputs per example (dense) or input channels (convolution); 0 where it does not apply
     * @param units   units (dense) or filters (convolution); 0 where it does not apply
     * @param dropout probability of dropping this layer's input (the Keras meaning), 0 for none
     */
    public record LayerSummary(int index, String type, long inputs, long units, String activation, double dropout,
                               long params) {
    }

    /** The trial's network's layers in the order they compute (a graph's in its topological order). */
    public static NetworkSummary of(TrialParams params, InputShape shape, int classes) {
        try (Net network = NetworkFactory.network(params, 0, shape, classes)) {
            List<LayerSummary> layers = new ArrayList<>();
            org.deeplearning4j.nn.api.Layer[] all = network.layers();
            for (int i = 0; i < all.length; i++) {
                Layer conf = all[i].conf().getLayer();
                long inputs = conf instanceof FeedForwardLayer f ? f.getNIn() : 0;
                long units = conf instanceof FeedForwardLayer f ? f.getNOut() : 0;
                String activation = conf instanceof BaseLayer b && !(conf instanceof BatchNormalization)
                        ? b.getActivationFn().toString().toLowerCase(Locale.ROOT)
                        : conf instanceof ActivationLayer a ? a.getActivationFn().toString().toLowerCase(Locale.ROOT)
                        : "";
                layers.add(new LayerSummary(i, type(conf), inputs, units, activation,
                        dropProbability(conf.getIDropout()), all[i].numParams()));
            }
            return new NetworkSummary(layers, network.numParams());
        }
    }

    private static String type(Layer conf) {
        if (conf instanceof OutputLayer) {
            return "output";
        }
        if (conf instanceof ConvolutionLayer c) {
            return "conv " + c.getKernelSize()[0] + "x" + c.getKernelSize()[1]
                    + (c.getStride()[0] > 1 ? " stride " + c.getStride()[0] : "");
        }
        if (conf instanceof GlobalPoolingLayer) {
            return "global average pool";
        }
        if (conf instanceof ActivationLayer) {
            return "activation";
        }
        if (conf instanceof SubsamplingLayer) {
            return "max pool 2x2";
        }
        if (conf instanceof BatchNormalization) {
            return "batch norm";
        }
        return "dense";
    }

    private static double dropProbability(IDropout dropout) {
        // Rounded: 1 - (1 - p) is not exactly p in floating point, and users read these values.
        return dropout instanceof Dropout d ? Math.round((1 - d.getP()) * 1e9) / 1e9 : 0;
    }
}
