package io.hpsearch.trainer;

import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The fast convolution path: the natives it needs are the ones loaded, and it computes what DL4J's own path does. */
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
