package io.hpsearch.trainer;

import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertHelpersRan(helped);
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
        // The truth: DL4J's own path in double precision (the helpers take float only).
        MultiLayerConfiguration doubled = NetworkFactory.build(params, 5, TestParams.FASHION, 10);
        doubled.setDataType(DataType.DOUBLE);
        MultiLayerNetwork truth = new MultiLayerNetwork(doubled);
        truth.init();
        long normalisations = Arrays.stream(helped.getLayers())
                .filter(layer -> layer instanceof BatchNormalization)
                .peek(layer -> assertTrue(layer.getHelper() instanceof FastBatchNorm, "layer " + layer.getIndex()))
                .count();
        assertEquals(4, normalisations, "the input, both convolution blocks and the dense layer");
        Nd4j.getRandom().setSeed(3);
        // Pixels shifted away from zero, as activations are: the statistics must hold where the mean is not 0.
        INDArray features = Nd4j.rand(DataType.FLOAT, 32, 784).muli(2).addi(0.5);
        INDArray labels = Nd4j.eye(10).castTo(DataType.FLOAT).repeat(0, 4).getRows(IntStream.range(0, 32).toArray());
        MultiLayerNetwork[] networks = {truth, dl4j, helped};

        // A full minibatch, an epoch's short last one, and one image (each dense unit's variance 0).
        for (int size : new int[]{32, 5, 1}) {
            List<Map<String, INDArray>> gradients = new ArrayList<>();
            double[] scores = new double[3];
            for (int i = 0; i < 3; i++) {
                DataType type = i == 0 ? DataType.DOUBLE : DataType.FLOAT;
                networks[i].setInput(features.get(NDArrayIndex.interval(0, size), NDArrayIndex.all()).castTo(type));
                networks[i].setLabels(labels.get(NDArrayIndex.interval(0, size), NDArrayIndex.all()).castTo(type));
                networks[i].computeGradientAndScore();
                scores[i] = networks[i].score();
                gradients.add(inDouble(networks[i].gradient().gradientForVariable()));
            }
            assertEquals(scores[0], scores[2], 1e-5 * Math.abs(scores[0]), size + " images");
            if (size > 1) {
                assertAsAccurate(gradients, "gradients of " + size + " images");
            } else {
                // One image: the dense layer's normalised output is its beta whatever comes in, so every gradient
                // below it is 0 in exact arithmetic, and rounding noise (1e-4) on the fast path. Finite, at least.
                gradients.get(2).forEach((name, gradient) -> assertFalse(gradient.isInfinite().any()
                        || gradient.isNaN().any(), name));
            }
        }
        // Plain SGD: Adam would turn rounding-sized differences of near-zero gradients into whole steps.
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < 3; i++) {
                DataType type = i == 0 ? DataType.DOUBLE : DataType.FLOAT;
                networks[i].fit(features.castTo(type), labels.castTo(type));
            }
        }
        assertAsAccurate(Arrays.stream(networks).map(n -> inDouble(n.paramTable())).toList(),
                "weights and running averages after three steps");
        INDArray expected = truth.output(features.castTo(DataType.DOUBLE), false);
        double dl4jOff = dl4j.output(features, false).castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue();
        double fastOff = helped.output(features, false).castTo(DataType.DOUBLE).sub(expected).amaxNumber()
                .doubleValue();
        assertTrue(fastOff <= Math.max(2 * dl4jOff, 1e-6), "probabilities with the running averages off by "
                + fastOff + " (DL4J's float path: " + dl4jOff + ")");
        assertHelpersRan(helped);
    }

    @Test
    void theFastStatisticsAreDl4jsMeanAndVarianceWhereverTheMeanLies() {
        // Channel means 0, 3, 30 and 300 standard deviations from zero, and a constant channel: E[x^2] - E[x]^2
        // cancels 9 parts in 10 at 3, and leaves nothing in float at 300; the last two take the exact way.
        for (double shift : new double[]{0, 3, 30, 300}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 64, 8, 28, 28).addi(shift);
            x.get(NDArrayIndex.all(), NDArrayIndex.point(5), NDArrayIndex.all(), NDArrayIndex.all()).assign(shift + 1);
            FastBatchNorm helper = new FastBatchNorm();
            INDArray ones = Nd4j.ones(DataType.FLOAT, 1, 8);

            helper.preOutput(x, true, x.shape(), ones, ones.mul(0), null, null, 0.9, 1e-5, CNN2DFormat.NCHW,
                    LayerWorkspaceMgr.noWorkspaces());

            INDArray mean = x.castTo(DataType.DOUBLE).mean(0, 2, 3);
            INDArray variance = x.castTo(DataType.DOUBLE).var(false, 0, 2, 3);
            double meanError = helper.getMeanCache(DataType.FLOAT).castTo(DataType.DOUBLE).sub(mean).divi(
                    Math.max(1, shift)).amaxNumber().doubleValue();
            INDArray fast = helper.getVarCache(DataType.FLOAT).castTo(DataType.DOUBLE);
            double constant = fast.getDouble(5);
            variance.putScalar(5, 1);
            fast.putScalar(5, 1);
            double varianceError = fast.sub(variance).divi(variance).amaxNumber().doubleValue();
            assertTrue(meanError < 1e-5, "shift " + shift + ": mean off by " + meanError + " of the shift");
            assertTrue(varianceError < 5e-5, "shift " + shift + ": variance off by " + varianceError + " of itself");
            assertTrue(constant < 1e-6 * (shift + 1) * (shift + 1), "shift " + shift + ": a constant channel's "
                    + "variance came out as " + constant);
        }
    }

    /** DL4J drops a helper that throws, for good, and says so only in its log: none did. */
    private static void assertHelpersRan(MultiLayerNetwork network) {
        for (Layer layer : network.getLayers()) {
            if (layer instanceof BatchNormalization || layer instanceof ConvolutionLayer) {
                try {
                    Field failures = layer.getClass().getDeclaredField("helperCountFail");
                    failures.setAccessible(true);
                    assertEquals(0, failures.getInt(layer), "layer " + layer.getIndex() + "'s helper failed");
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /**
     * Parameter by parameter (truth, DL4J's float path, hpsearch's): hpsearch's is off the double-precision truth by
     * no more than twice DL4J's own float path is, or by 1e-5 of the parameter's largest element. (A gamma whose
     * gradient sums terms that cancel, the input layer's, is off by 15 % in float on both paths.)
     */
    private static void assertAsAccurate(List<Map<String, INDArray>> paths, String what) {
        Map<String, INDArray> truth = paths.get(0);
        assertEquals(truth.keySet(), paths.get(2).keySet(), what);
        truth.forEach((name, expected) -> {
            double largest = Math.max(expected.amaxNumber().doubleValue(), 1e-8);
            double dl4j = paths.get(1).get(name).sub(expected).amaxNumber().doubleValue() / largest;
            double fast = paths.get(2).get(name).sub(expected).amaxNumber().doubleValue() / largest;
            assertTrue(fast <= Math.max(2 * dl4j, 1e-5), what + ": " + name + " is off by " + fast + " of its largest "
                    + "element (DL4J's float path: " + dl4j + ")");
        });
    }

    private static Map<String, INDArray> inDouble(Map<String, INDArray> arrays) {
        Map<String, INDArray> copy = new TreeMap<>();
        arrays.forEach((name, array) -> copy.put(name, array.castTo(DataType.DOUBLE).dup()));
        return copy;
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
