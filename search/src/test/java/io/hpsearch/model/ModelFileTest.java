package io.hpsearch.model;

import io.hpsearch.data.ImageEncoding;
import io.hpsearch.data.InputShape;
import io.hpsearch.trainer.Net;
import io.hpsearch.trainer.NetworkFactory;
import io.hpsearch.trainer.TestParams;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hpsearch writes DL4J's model zip itself (weights uncompressed): DL4J's own ModelSerializer must read it, a
 * stack and a graph alike, with the same outputs; hpsearch's entry travels with it.
 */
class ModelFileTest {
    private static final InputShape SHAPE = TestParams.FASHION;
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @TempDir
    Path dir;

    @Test
    void aStackRoundTripsThroughDl4jsOwnReader() throws Exception {
        roundTrip(TestParams.mlp(0.0, List.of(32, 16), List.of(0.0, 0.0)), false);
    }

    @Test
    void aGraphRoundTripsThroughDl4jsOwnReader() throws Exception {
        roundTrip(TestParams.smallResnet(false), true);
    }

    @Test
    void aLearningRateScheduleIsKeptInDl4jsOwnClasses() throws Exception {
        try (Net network = NetworkFactory.network(TestParams.mlp(0.0, List.of(8), List.of(0.0)), 11, SHAPE,
                CLASSES.size())) {
            network.setLearningRate(new MapSchedule.Builder(ScheduleType.ITERATION).add(0, 0.001).add(5, 0.0004)
                    .build());
            byte[] zip = ModelFile.bytes(network, new ImageEncoding(SHAPE), CLASSES, Map.of());
            MultiLayerNetwork read = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false);
            read.setIterationCount(7);
            assertEquals(0.0004, read.getLearningRate(0), 1e-12, "the schedule came back with the configuration");
        }
    }

    private void roundTrip(TrialParams params, boolean graph) throws Exception {
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(DataType.FLOAT, 5, 784);
        try (Net network = NetworkFactory.network(params, 11, SHAPE, CLASSES.size())) {
            INDArray expected = network.output(input).dup();
            byte[] zip = ModelFile.bytes(network, new ImageEncoding(SHAPE), CLASSES, Map.of("source", "test"));

            // DL4J's reader, untouched by hpsearch.
            INDArray params1 = graph
                    ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false).params()
                    : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false).params();
            assertEquals(network.params(), params1, "DL4J's reader got other weights");

            Path file = dir.resolve(graph ? "graph.zip" : "stack.zip");
            ModelFile.write(file, network, new ImageEncoding(SHAPE), CLASSES, Map.of("source", "test"));
            ModelFile.Model model = ModelFile.read(file);
            assertEquals(graph, model.network().isGraph());
            assertEquals(CLASSES, model.classes());
            assertEquals("test", model.data().get("source"));
            assertTrue(expected.equalsWithEps(model.network().output(input), 1e-6), "other outputs after reading");
            model.network().close();
        }
    }
}
