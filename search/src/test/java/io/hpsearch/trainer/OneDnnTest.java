package io.hpsearch.trainer;

import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fast convolution and batch normalisation paths: the natives they need are the ones loaded, and they compute
 * what DL4J's own path does.
 */
class OneDnnTest {
    private static TrialParams referenceCnn;

    @BeforeAll
    static void reference() {
        referenceCnn = TestParams.referenceCnn();
        NativeThreads.configure(1);
    }

    @Test
    void onLinuxX8664TheNativesAreBuiltWithOneDnn() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "oneDNN natives are selected on Linux x86_64 only");

        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();

        assertTrue(build.contains("HAVE_ONEDNN"), "ND4J build information:\n" + build);
    }

    @Test
    void everyConvolutionLayerGetsTheHelper() {
        MultiLayerNetwork network = OneDnn.attach(network(referenceCnn));

        long convolutions = 0;
        for (Layer layer : network.getLayers()) {
            if (layer instanceof ConvolutionLayer) {
                convolutions++;
                assertTrue(layer.getHelper() instanceof MKLDNNConvHelper, "layer " + layer.getIndex());
            }
        }
        assertEquals(4, convolutions, "the reference CNN has two blocks of two convolutions");
    }

    @Test
    void theHelperComputesDl4jsOutputsAndGradients() {
        MultiLayerNetwork dl4j = network(referenceCnn);
        MultiLayerNetwork helped = OneDnn.attach(network(referenceCnn));
        INDArray features = Nd4j.rand(32, 784);
        INDArray labels = Nd4j.eye(10).repeat(0, 4).getRows(IntStream.range(0, 32).toArray());

        INDArray[] gradients = new INDArray[2];
        double[] scores = new double[2];
        MultiLayerNetwork[] networks = {dl4j, helped};
        for (int i = 0; i < 2; i++) {
            // Dropout draws from ND4J's generator: the same seed gives both networks the same masks.
            Nd4j.getRandom().setSeed(11);
            networks[i].setInput(features);
            networks[i].setLabels(labels);
            networks[i].computeGradientAndScore();
            scores[i] = networks[i].score();
            gradients[i] = networks[i].gradient().gradient().dup();
        }

        assertEquals(scores[0], scores[1], 1e-5 * Math.abs(scores[0]));
        double largest = gradients[0].amaxNumber().doubleValue();
        double difference = gradients[0].sub(gradients[1]).amaxNumber().doubleValue();
        assertTrue(difference <= 1e-4 * largest, "gradients differ by " + difference + " (largest " + largest + ")");
        double outputs = dl4j.output(features, false).sub(helped.output(features, false)).amaxNumber().doubleValue();
        assertTrue(outputs < 1e-5, "probabilities differ by " + outputs);
    }

    @Test
    void everyBatchNormalisationLayerGetsTheFastHelperAndComputesWhatDl4jsOwnPathDoes() {
        TrialParams params = Samplers.forSpace(SpaceParser.parse("""
                name: bn
                dataset: fashion-mnist
                search: grid
                model:
                  type: cnn
                  input_batch_norm: true
                  conv_blocks: 2
                  convs_per_block: 1
                  kernel: 3
                  filters: {per_layer: [16, 8]}
                  conv_batch_norm: true
                  conv_dropout: 0.0
                  dense_layers: 1
                  units: 32
                  dropout: 0.0
                  batch_norm: true
                  optimizer: sgd
                  learning_rate: 0.1
                """, "bn.yaml")).next(List.of()).orElseThrow();
        MultiLayerNetwork dl4j = network(params);
        MultiLayerNetwork helped = OneDnn.attach(network(params));
        long normalisations = Arrays.stream(helped.getLayers())
                .filter(layer -> layer instanceof BatchNormalization)
                .peek(layer -> assertTrue(layer.getHelper() instanceof FastBatchNorm, "layer " + layer.getIndex()))
                .count();
        assertEquals(4, normalisations, "the input, both convolution blocks and the dense layer");
        // Pixels shifted away from zero, as activations are: the statistics must hold where the mean is not 0.
        INDArray features = Nd4j.rand(DataType.FLOAT, 32, 784).muli(2).addi(0.5);
        INDArray labels = Nd4j.eye(10).castTo(DataType.FLOAT).repeat(0, 4).getRows(IntStream.range(0, 32).toArray());

        INDArray[] gradients = new INDArray[2];
        double[] scores = new double[2];
        MultiLayerNetwork[] networks = {dl4j, helped};
        for (int i = 0; i < 2; i++) {
            networks[i].setInput(features);
            networks[i].setLabels(labels);
            networks[i].computeGradientAndScore();
            scores[i] = networks[i].score();
            gradients[i] = networks[i].gradient().gradient().dup();
        }
        assertEquals(scores[0], scores[1], 1e-5 * Math.abs(scores[0]));
        assertClose(gradients[0], gradients[1], "gradients, the running averages' updates included");
        // Plain SGD: Adam would turn rounding-sized differences of near-zero gradients into whole steps.
        for (int step = 0; step < 3; step++) {
            dl4j.fit(features, labels);
            helped.fit(features, labels);
        }
        assertClose(dl4j.params(), helped.params(), "weights and running averages after three steps");
        double outputs = dl4j.output(features, false).sub(helped.output(features, false)).amaxNumber().doubleValue();
        assertTrue(outputs < 1e-4, "probabilities with the running averages differ by " + outputs);
    }

    @Test
    void theFastStatisticsAreDl4jsMeanAndVarianceWhereTheMeanIsFarFromZero() {
        // A channel's mean three standard deviations from zero: E[x^2] - E[x]^2 cancels ten parts in eleven.
        INDArray x = Nd4j.randn(DataType.FLOAT, 64, 8, 28, 28).addi(3);
        FastBatchNorm helper = new FastBatchNorm();
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, 8);

        helper.preOutput(x, true, x.shape(), ones, ones.mul(0), null, null, 0.9, 1e-5, CNN2DFormat.NCHW,
                LayerWorkspaceMgr.noWorkspaces());

        INDArray mean = x.castTo(DataType.DOUBLE).mean(0, 2, 3);
        INDArray variance = x.castTo(DataType.DOUBLE).var(false, 0, 2, 3);
        double meanError = helper.getMeanCache(DataType.FLOAT).castTo(DataType.DOUBLE).sub(mean).amaxNumber()
                .doubleValue();
        double varianceError = helper.getVarCache(DataType.FLOAT).castTo(DataType.DOUBLE).sub(variance)
                .divi(variance).amaxNumber().doubleValue();
        assertTrue(meanError < 1e-5, "mean off by " + meanError);
        assertTrue(varianceError < 5e-5, "variance off by " + varianceError + " of itself");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double largest = expected.amaxNumber().doubleValue();
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= 1e-4 * largest, what + " differ by " + difference + " (largest " + largest + ")");
    }

    private static MultiLayerNetwork network(TrialParams params) {
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.build(params, 5, TestParams.FASHION, 10));
        network.init();
        return network;
    }

    @Test
    void theAvx2BuildIsChosenOnlyWhereTheCpuRunsItAndItIsThere() {
        assertEquals("-onednn-avx2", OneDnn.natives(java.util.Set.of("sse4_2", "avx2", "fma"), ext -> true));
        assertEquals("-onednn", OneDnn.natives(java.util.Set.of("sse4_2", "avx"), ext -> true), "no AVX2: baseline");
        assertEquals("-onednn", OneDnn.natives(java.util.Set.of("avx2", "fma"), ext -> false), "build missing");
        assertTrue(OneDnnTest.class.getClassLoader().getResource(
                "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libjnind4jcpu.so") != null,
                "the AVX2 build ships with hpsearch");
    }
}
