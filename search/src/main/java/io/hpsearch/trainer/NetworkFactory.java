package io.hpsearch.trainer;

import io.hpsearch.data.InputShape;
import io.hpsearch.space.ModelType;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Turns a trial's parameters into a DL4J network configuration for examples fed as flat rows: images (channel-major,
 * reshaped for convolutions) or a table's encoded features.
 *
 * <p>Keras applies dropout to a layer's output; DL4J applies it to a layer's input, so each dropout is carried to
 * the next layer that has weights or pooling. Batch normalisation follows the layer it belongs to (Keras's
 * Dense -> BatchNormalization -> Dropout order).
 */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    /**
     * The trial's network, initialised, with the fast paths attached ({@link OneDnn}): a stack for mlp and cnn, a
     * graph for resnet. The one place that chooses between them.
     */
    public static Net network(TrialParams params, long seed, InputShape shape, int classes) {
        if (params.type() == ModelType.RESNET) {
            ComputationGraph graph = new ComputationGraph(ResNetFactory.build(params, seed, shape, classes));
            graph.init();
            return OneDnn.attach(Net.of(graph));
        }
        MultiLayerNetwork stack = new MultiLayerNetwork(build(params, seed, shape, classes));
        stack.init();
        return OneDnn.attach(Net.of(stack));
    }

    /** The settings every layer shares: seed, optimizer and learning rate, weight initialisation, L2. */
    static NeuralNetConfiguration.Builder base(TrialParams params, long seed) {
        Activation activation = activation(params.text("activation", "relu"));
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater(params.text("optimizer", "adam"), params.decimal("learning_rate", 1e-3)))
                .weightInit(activation == Activation.TANH ? WeightInit.XAVIER : WeightInit.RELU);
        double l2 = params.decimal("l2", 0);
        if (l2 > 0) {
            base.l2(l2);
        }
        return base;
    }

    /** A stack's configuration (mlp, cnn). */
    public static MultiLayerConfiguration build(TrialParams params, long seed, InputShape shape, int classes) {
        if (params.type() == ModelType.RESNET) {
            throw new IllegalArgumentException("a resnet is a graph: use network(...)");
        }
        Activation activation = activation(params.text("activation", "relu"));
        Layers layers = new Layers(base(params, seed).list());
        switch (params.type()) {
            case MLP -> layers.dropNext(params.decimal("input_dropout", 0));
            case CNN -> convBlocks(params, layers, activation);
            default -> throw new IllegalStateException("not a stack: " + params.type());
        }
        String denseCount = params.type() == ModelType.MLP ? "hidden_layers" : "dense_layers";
        for (int i = 1; i <= params.integer(denseCount, 0); i++) {
            layers.add(new DenseLayer.Builder().nOut(params.integer("units_" + i, 0)).activation(activation));
            if (params.flag("batch_norm_" + i)) {
                layers.add(new BatchNormalization.Builder());
            }
            layers.dropNext(params.decimal("dropout_" + i, 0));
        }
        layers.add(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER));
        return layers.list.setInputType(inputType(params.type(), shape)).build();
    }

    /** How DL4J reads a flat example row: reshaped to channels x height x width for convolutions. */
    static InputType inputType(ModelType type, InputShape shape) {
        if (type == ModelType.CNN || type == ModelType.RESNET) {
            if (!shape.isImage()) {
                throw new IllegalArgumentException("a cnn needs images, not " + shape.describe());
            }
            return InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels());
        }
        return InputType.feedForward(shape.features());
    }

    /** Per block: convs_per_block same-padded convolutions (each optionally batch-normalised), 2x2 max pooling. */
    private static void convBlocks(TrialParams params, Layers layers, Activation activation) {
        if (params.flag("input_batch_norm")) {
            layers.add(new BatchNormalization.Builder());
        }
        int kernel = params.integer("kernel", 3);
        for (int b = 1; b <= params.integer("conv_blocks", 0); b++) {
            for (int c = 0; c < params.integer("convs_per_block", 2); c++) {
                layers.add(new ConvolutionLayer.Builder(kernel, kernel).nOut(params.integer("filters_" + b, 0))
                        .convolutionMode(ConvolutionMode.Same).activation(activation));
                if (params.flag("conv_batch_norm_" + b)) {
                    layers.add(new BatchNormalization.Builder());
                }
            }
            layers.add(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2));
            layers.dropNext(params.decimal("conv_dropout_" + b, 0));
        }
    }

    /** The layer list being built, with the dropout waiting for the next layer's input. */
    private static final class Layers {
        final NeuralNetConfiguration.ListBuilder list;
        private double pendingDrop;

        Layers(NeuralNetConfiguration.ListBuilder list) {
            this.list = list;
        }

        void dropNext(double dropProbability) {
            pendingDrop = dropProbability;
        }

        void add(Layer.Builder<?> builder) {
            // Batch normalisation sits between a layer and its dropout, so the dropout waits for the next one.
            if (pendingDrop > 0 && !(builder instanceof BatchNormalization.Builder)) {
                builder.dropOut(retainProbability(pendingDrop));
                pendingDrop = 0;
            }
            list.layer(builder.build());
        }
    }

    /** YAML dropout is the probability of dropping a unit (Keras); DL4J's dropOut(x) takes the probability of keeping it. */
    public static double retainProbability(double dropProbability) {
        if (dropProbability < 0 || dropProbability >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropProbability);
        }
        return 1.0 - dropProbability;
    }

    static Activation activation(String name) {
        return switch (name) {
            case "relu" -> Activation.RELU;
            case "leaky_relu" -> Activation.LEAKYRELU;
            case "elu" -> Activation.ELU;
            case "tanh" -> Activation.TANH;
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
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
