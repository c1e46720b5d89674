package io.hpsearch.trainer;

import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a trial's network looks like, read off the DL4J configuration the trainer builds (not recomputed from the
 * parameters), so that the summary cannot drift from what was trained.
 *
 * @param totalParams trainable parameters, weights and biases
 */
public record NetworkSummary(List<LayerSummary> layers, long totalParams) {

    /**
     * @param dropout probability of dropping this layer's input (the Keras meaning), 0 for none
     */
    public record LayerSummary(int index, String type, long inputs, long units, String activation, double dropout,
                               long params) {
    }

    public static NetworkSummary of(TrialParams params, int inputs, int classes) {
        MultiLayerConfiguration conf = NetworkFactory.mlp(params, 0, inputs, classes);
        List<LayerSummary> layers = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            FeedForwardLayer layer = (FeedForwardLayer) conf.getConf(i).getLayer();
            long count = layer.getNIn() * layer.getNOut() + layer.getNOut();
            total += count;
            String activation = ((BaseLayer) layer).getActivationFn().toString().toLowerCase(Locale.ROOT);
            layers.add(new LayerSummary(i, layer instanceof OutputLayer ? "output" : "dense", layer.getNIn(),
                    layer.getNOut(), activation, dropProbability(layer.getIDropout()), count));
        }
        return new NetworkSummary(layers, total);
    }

    private static double dropProbability(IDropout dropout) {
        // Rounded: 1 - (1 - p) is not exactly p in floating point, and users read these values.
        return dropout instanceof Dropout d ? Math.round((1 - d.getP()) * 1e9) / 1e9 : 0;
    }
}
