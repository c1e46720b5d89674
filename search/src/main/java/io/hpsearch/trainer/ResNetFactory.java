package io.hpsearch.trainer;

import io.hpsearch.data.InputShape;
import io.hpsearch.space.ModelType;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A residual network for small images (He et al. 2016, the CIFAR variant): a 3x3 stem convolution, then {@code stages}
 * of {@code blocks_per_stage} residual blocks with {@code filters_s} filters, the first block of every stage after
 * the first halving the image (stride 2) with a 1x1 projection on its shortcut; batch normalisation after every
 * convolution; global average pooling; optional dense layers; softmax. Basic blocks are two 3x3 convolutions;
 * bottleneck blocks ({@code bottleneck: true}) a 1x1 to a quarter of the filters, a 3x3, and a 1x1 back.
 */
public final class ResNetFactory {
    private ResNetFactory() {
    }

    public static ComputationGraphConfiguration build(TrialParams params, long seed, InputShape shape, int classes) {
        if (params.type() != ModelType.RESNET || !shape.isImage()) {
            throw new IllegalArgumentException("a resnet needs images, not " + shape.describe());
        }
        Graph g = new Graph(base(params, seed), NetworkFactory.activation(params.text("activation", "relu")));
        g.b.setInputTypes(NetworkFactory.inputType(ModelType.RESNET, shape));
        boolean bottleneck = params.flag("bottleneck");
        int blocks = params.integer("blocks_per_stage", 2);
        String x = g.convBnAct("stem", "in", params.integer("filters_1", 16), 3, 1);
        int channels = params.integer("filters_1", 16);
        for (int s = 1; s <= params.integer("stages", 1); s++) {
            int filters = params.integer("filters_" + s, channels);
            for (int b = 1; b <= blocks; b++) {
                int stride = s > 1 && b == 1 ? 2 : 1;
                String name = "s" + s + "b" + b;
                String main;
                if (bottleneck) {
                    int width = Math.max(1, filters / 4);
                    String reduced = g.convBnAct(name + "a", x, width, 1, stride);
                    main = g.convBn(name + "c", g.convBnAct(name + "b", reduced, width, 3, 1), filters, 1, 1);
                } else {
                    main = g.convBn(name + "b", g.convBnAct(name + "a", x, filters, 3, stride), filters, 3, 1);
                }
                String shortcut = stride != 1 || channels != filters ? g.convBn(name + "p", x, filters, 1, stride) : x;
                g.b.addVertex(name + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), main, shortcut);
                g.b.addLayer(name, new ActivationLayer.Builder().activation(g.activation).build(), name + "add");
                x = name;
                channels = filters;
            }
        }
        g.b.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        x = "pool";
        double drop = 0;
        for (int i = 1; i <= params.integer("dense_layers", 0); i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(params.integer("units_" + i, 0))
                    .activation(g.activation);
            if (drop > 0) {
                dense.dropOut(NetworkFactory.retainProbability(drop));
            }
            g.b.addLayer("dense" + i, dense.build(), x);
            x = "dense" + i;
            if (params.flag("batch_norm_" + i)) {
                g.b.addLayer("dense" + i + "bn", new BatchNormalization.Builder().build(), x);
                x = "dense" + i + "bn";
            }
            drop = params.decimal("dropout_" + i, 0);
        }
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
        if (drop > 0) {
            out.dropOut(NetworkFactory.retainProbability(drop));
        }
        g.b.addLayer("out", out.build(), x);
        g.b.setOutputs("out");
        return g.b.build();
    }

    private static ComputationGraphConfiguration.GraphBuilder base(TrialParams params, long seed) {
        return NetworkFactory.base(params, seed).graphBuilder().addInputs("in");
    }

    /** The graph being built, with the blocks' building steps. */
    private static final class Graph {
        final ComputationGraphConfiguration.GraphBuilder b;
        final Activation activation;

        Graph(ComputationGraphConfiguration.GraphBuilder b, Activation activation) {
            this.b = b;
            this.activation = activation;
        }

        /** A convolution without bias (batch normalisation's shift replaces it), then batch normalisation. */
        String convBn(String name, String input, int filters, int kernel, int stride) {
            b.addLayer(name + "conv", new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(filters)
                    .convolutionMode(ConvolutionMode.Same).hasBias(false).activation(Activation.IDENTITY).build(),
                    input);
            b.addLayer(name + "bn", new BatchNormalization.Builder().build(), name + "conv");
            return name + "bn";
        }

        /** {@link #convBn}, then the activation. */
        String convBnAct(String name, String input, int filters, int kernel, int stride) {
            String bn = convBn(name, input, filters, kernel, stride);
            b.addLayer(name + "act", new ActivationLayer.Builder().activation(activation).build(), bn);
            return name + "act";
        }
    }
}
