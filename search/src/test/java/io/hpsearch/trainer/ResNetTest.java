package io.hpsearch.trainer;

import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.ModelType;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The residual network: its structure, its cost, and the fast convolution path's gradients against DL4J's own. */
class ResNetTest {
    /** ResNet-20 as He et al. built it for 32x32 images: 3 stages of 3 basic blocks, 16/32/64 filters. */
    private static TrialParams resnet20() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("stages", 3);
        v.put("filters_1", 16);
        v.put("filters_2", 32);
        v.put("filters_3", 64);
        v.put("blocks_per_stage", 3);
        v.put("dense_layers", 0);
        v.put("optimizer", "adam");
        v.put("learning_rate", 0.001);
        return new TrialParams(ModelType.RESNET, v);
    }

    @Test
    void resnet20HasItsConvolutionsShortcutsAndParameters() {
        try (Net net = NetworkFactory.network(resnet20(), 1, TestParams.FASHION, 10)) {
            assertTrue(net.isGraph());
            long convolutions = 0;
            for (Layer layer : net.layers()) {
                if (layer instanceof ConvolutionLayer) {
                    convolutions++;
                    assertTrue(layer.getHelper() instanceof MKLDNNConvHelper, layer.conf().getLayer().getLayerName());
                }
            }
            // The stem, two per block, and a 1x1 projection where stages 2 and 3 halve the image.
            assertEquals(1 + 3 * 3 * 2 + 2, convolutions);
            // He et al.'s ResNet-20 has 0.27 M parameters on 3-channel images; on 1 channel, 288 stem weights fewer.
            assertTrue(net.numParams() > 260_000 && net.numParams() < 280_000, "parameters: " + net.numParams());
            INDArray out = net.output(Nd4j.rand(4, 784));
            assertEquals(List.of(4L, 10L), List.of(out.size(0), out.size(1)));
        }
        NetworkSummary summary = NetworkSummary.of(resnet20(), TestParams.FASHION, 10);
        assertTrue(summary.layers().stream().anyMatch(l -> l.type().equals("conv 3x3 stride 2")));
        assertTrue(summary.layers().stream().anyMatch(l -> l.type().equals("global average pool")));
        // By hand, on 28x28 images (stages at 28, 14 and 7 pixels): the stem, 6 convolutions of 16x16 3x3 at 28,
        // the strided 16->32 and five 32x32 at 14, the strided 32->64 and five 64x64 at 7, two 1x1 projections, the
        // 64->10 softmax.
        long expected = 1L * 16 * 9 * 784 + 6L * 16 * 16 * 9 * 784 + 16L * 32 * 9 * 196 + 5L * 32 * 32 * 9 * 196
                + 32L * 64 * 9 * 49 + 5L * 64 * 64 * 9 * 49 + 16L * 32 * 196 + 32L * 64 * 49 + 64 * 10;
        assertEquals(expected, NetworkCost.forwardMacs(resnet20(), TestParams.FASHION, 10));
    }

    @Test
    void theFastPathComputesDl4jsOutputsAndGradientsForBasicAndBottleneckBlocks() {
        for (boolean bottleneck : new boolean[]{false, true}) {
            TrialParams params = TestParams.smallResnet(bottleneck);
            ComputationGraph dl4j = new ComputationGraph(ResNetFactory.build(params, 5, TestParams.FASHION, 10));
            dl4j.init();
            ComputationGraph helped = new ComputationGraph(ResNetFactory.build(params, 5, TestParams.FASHION, 10));
            helped.init();
            OneDnn.attach(Net.of(helped));
            assertFalse(Net.of(dl4j).layers()[0].getHelper() instanceof MKLDNNConvHelper, "DL4J's own path");
            INDArray features = Nd4j.rand(16, 784);
            INDArray labels = Nd4j.eye(10).repeat(0, 2).getRows(IntStream.range(0, 16).toArray());
            INDArray[] gradients = new INDArray[2];
            double[] scores = new double[2];
            ComputationGraph[] graphs = {dl4j, helped};
            for (int i = 0; i < 2; i++) {
                graphs[i].setInputs(features);
                graphs[i].setLabels(labels);
                graphs[i].computeGradientAndScore();
                scores[i] = graphs[i].score();
                gradients[i] = graphs[i].gradient().gradient().dup();
            }
            assertEquals(scores[0], scores[1], 1e-5 * Math.abs(scores[0]), "bottleneck " + bottleneck);
            double largest = gradients[0].amaxNumber().doubleValue();
            double difference = gradients[0].sub(gradients[1]).amaxNumber().doubleValue();
            assertTrue(difference <= 1e-4 * largest, "bottleneck " + bottleneck + ": gradients differ by "
                    + difference + " (largest " + largest + ")");
            // Inference through the running averages: trained by DL4J's path, copied, then both normalise with them.
            for (int step = 0; step < 3; step++) {
                dl4j.fit(new INDArray[]{features}, new INDArray[]{labels});
            }
            helped.setParams(dl4j.params());
            double outputs = dl4j.outputSingle(false, features).sub(helped.outputSingle(false, features))
                    .amaxNumber().doubleValue();
            assertTrue(outputs < 1e-5, "bottleneck " + bottleneck + ": probabilities differ by " + outputs);
        }
    }

    @Test
    void aResnetSpaceIsSearchedWithItsStageConditionalKeys() {
        SpaceSpec spec = SpaceParser.parse("""
                name: r
                dataset: fashion-mnist
                search: grid
                model:
                  type: resnet
                  stages: {min: 1, max: 2}
                  filters: {per_layer: [8, {choice: [16, 24]}]}
                  blocks_per_stage: 1
                  learning_rate: 0.001
                """, "r.yaml");
        assertEquals(3, Samplers.plannedTrials(spec.withMaxTrials(100)), "1 stage, or 2 with 16 or 24 filters");
        List<TrialParams> all = new java.util.ArrayList<>();
        var sampler = Samplers.forSpace(spec.withMaxTrials(100));
        for (var next = sampler.next(List.of()); next.isPresent(); next = sampler.next(List.of())) {
            all.add(next.get());
            if (all.size() > 10) {
                break;
            }
        }
        assertTrue(all.stream().allMatch(p -> p.type() == ModelType.RESNET), all.toString());
        assertTrue(all.stream().filter(p -> p.integer("stages", 0) == 1).noneMatch(p -> p.values()
                .containsKey("filters_2")), "no second stage's filters without a second stage: " + all);
    }

    @Test
    void aGraphsNativeMemoryStaysBoundedWhileItTrains() {
        // With DL4J's own batch normalisation (and no periodic collection) each minibatch of 128 left ~130 MB of
        // native arrays behind: 45 minibatches would add ~5.8 GB. FastBatchNorm leaves nothing, so the graph has no
        // periodic collections: measured 920-973 MiB resident from minibatch 50 to 400.
        try (Net net = NetworkFactory.network(resnet20(), 1, TestParams.FASHION, 10)) {
            assertFalse(net.leavesArrays(), "hpsearch's batch normalisation was not attached");
            org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(
                    org.nd4j.linalg.factory.Nd4j.rand(128, 784),
                    org.nd4j.linalg.factory.Nd4j.zeros(128, 10).putScalar(0, 1, 1f));
            long grew = ResidentGrowth.kib(5, 45, () -> net.fit(batch));
            assertTrue(grew < 1024 * 1024, "resident memory grew by " + grew / 1024 + " MiB over 45 minibatches");
        }
    }

}
