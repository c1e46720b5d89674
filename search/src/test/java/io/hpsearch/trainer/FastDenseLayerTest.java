package io.hpsearch.trainer;

import io.hpsearch.data.InputShape;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hpsearch's dense layers train as DL4J's own, to float rounding. */
class FastDenseLayerTest {
    @Test
    void trainsToDl4jsWeightsWithDropoutOnEveryLayer() {
        NativeThreads.configure(1);
        // Plain SGD, not Adam: Adam's first steps move every weight by about its learning rate whatever the gradient's
        // size, so a gradient of 1e-7 whose sign float rounding flips on another CPU (CI's) moved the two networks
        // 0.003 apart. With SGD a rounding difference stays one (3e-8 of the largest weight here); a gradient 0.1 %
        // off gives 8e-3.
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).updater(new Sgd(0.1)).weightInit(WeightInit.RELU).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.RELU).dropOut(0.8).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(32).activation(Activation.RELU).dropOut(0.7).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork plain = new MultiLayerNetwork(conf.clone());
        plain.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(conf.clone());
        fast.init();
        FastDenseLayer.attach(fast);
        assertSame(FastDenseLayer.class, fast.getLayer(0).getClass());
        assertSame(FastDenseLayer.class, fast.getLayer(1).getClass());
        assertEquals(plain.params(), fast.params());

        for (int step = 0; step < 5; step++) {
            DataSet batch = batch(step);
            // Dropout masks come from ND4J's global generator: the same seed before each network's step.
            Nd4j.getRandom().setSeed(100 + step);
            plain.fit(batch);
            Nd4j.getRandom().setSeed(100 + step);
            fast.fit(batch);
        }
        INDArray difference = plain.params().sub(fast.params());
        assertTrue(plain.params().sub(initial(conf)).norm2Number().doubleValue() > 0,
                "training did not move the weights: the comparison would prove nothing");
        assertEquals(0.0, difference.amaxNumber().doubleValue(), 1e-5 * plain.params().amaxNumber().doubleValue(),
                "the two layers trained apart");
    }

    @Test
    void theFactoryGivesAnMlpTheFastLayers() {
        NativeThreads.configure(1);
        try (Net network = NetworkFactory.network(TestParams.mlp(0.2, List.of(32, 16), List.of(0.0, 0.0)), 7,
                InputShape.image(1, 28, 28), 10)) {
            assertSame(FastDenseLayer.class, network.layers()[0].getClass());
            assertSame(FastDenseLayer.class, network.layers()[1].getClass());
        }
    }

    @Test
    void backpropTakesThePreActivationOfTheForwardPassInsteadOfComputingItAgain() {
        NativeThreads.configure(1);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).updater(new Adam(1e-3)).weightInit(WeightInit.RELU).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        FastDenseLayer.attach(network);
        network.initGradientsView();
        FastDenseLayer layer = (FastDenseLayer) network.getLayer(0);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray features = batch(0).getFeatures();
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, 64, 64);

        layer.setInput(features, noWorkspaces);
        layer.activate(true, noWorkspaces);
        INDArray forward = layer.getParam("W").dup();
        // Weights changed between the passes: a recomputed pre-activation would see them, the kept one does not.
        layer.getParam("W").muli(-1);
        INDArray kept = layer.backpropGradient(epsilon, noWorkspaces).getFirst().getGradientFor("W").dup();
        INDArray recomputed = layer.backpropGradient(epsilon, noWorkspaces).getFirst().getGradientFor("W").dup();
        assertNotEquals(kept, recomputed, "both backprops used the same pre-activation: the forward pass's was not kept, or kept past its one use");

        layer.getParam("W").assign(forward);
        layer.setInput(features, noWorkspaces);
        layer.activate(false, noWorkspaces);
        assertEquals(kept, layer.backpropGradient(epsilon, noWorkspaces).getFirst().getGradientFor("W"),
                "the gradient from the kept pre-activation differs from one computed with the forward pass's weights");
    }

    private static INDArray initial(MultiLayerConfiguration conf) {
        MultiLayerNetwork network = new MultiLayerNetwork(conf.clone());
        network.init();
        return network.params();
    }

    private static DataSet batch(int step) {
        Nd4j.getRandom().setSeed(step);
        INDArray features = Nd4j.rand(DataType.FLOAT, 64, 784);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 64, 10);
        for (int i = 0; i < 64; i++) {
            labels.putScalar(i, (i * 7 + step) % 10, 1.0);
        }
        return new DataSet(features, labels);
    }
}
