package io.hpsearch.trainer;

import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Turns a trial's parameters into a DL4J network configuration. */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    /**
     * Dense ReLU layers, each followed by its dropout, then a softmax output with cross-entropy. Keras applies
     * dropout to a layer's output; DL4J applies it to a layer's input, so each dropout moves to the next layer.
     */
    public static MultiLayerConfiguration mlp(TrialParams params, long seed, int inputs, int classes) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater(params.optimizer(), params.learningRate()))
                .weightInit(WeightInit.RELU)
                .list();
        int in = inputs;
        double drop = params.inputDropout();
        for (TrialParams.Layer layer : params.layers()) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(layer.units()).activation(Activation.RELU);
            if (drop > 0) {
                dense.dropOut(retainProbability(drop));
            }
            list.layer(dense.build());
            in = layer.units();
            drop = layer.dropout();
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(in).nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
        if (drop > 0) {
            output.dropOut(retainProbability(drop));
        }
        return list.layer(output.build()).build();
    }

    /** YAML dropout is the probability of dropping a unit (Keras); DL4J's dropOut(x) takes the probability of keeping it. */
    public static double retainProbability(double dropProbability) {
        if (dropProbability < 0 || dropProbability >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropProbability);
        }
        return 1.0 - dropProbability;
    }

    static IUpdater updater(String optimizer, double learningRate) {
        return switch (optimizer) {
            case "adam" -> new Adam(learningRate);
            case "sgd" -> new Sgd(learningRate);
            case "nesterovs" -> new Nesterovs(learningRate, 0.9);
            case "rmsprop" -> new RmsProp(learningRate);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }
}
