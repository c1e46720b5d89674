package io.hpsearch.trainer;

import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NetworkSummaryTest {
    private final TrialParams params = TestParams.mlp(0.1, List.of(256, 64), List.of(0.2, 0.0));

    @Test
    void listsEachLayerWithTheDropoutOnItsInputAndCountsParametersLikeDl4j() {
        NetworkSummary summary = NetworkSummary.of(params, TestParams.FASHION, 10);

        assertEquals(List.of(
                new NetworkSummary.LayerSummary(0, "dense", 784, 256, "relu", 0.1, 784 * 256 + 256),
                new NetworkSummary.LayerSummary(1, "dense", 256, 64, "relu", 0.2, 256 * 64 + 64),
                new NetworkSummary.LayerSummary(2, "output", 64, 10, "softmax", 0.0, 64 * 10 + 10)),
                summary.layers().stream().map(l -> new NetworkSummary.LayerSummary(l.index(), l.type(), l.inputs(),
                        l.units(), l.activation(), l.dropout(), l.params())).toList());
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.build(params, 1, TestParams.FASHION, 10));
        network.init();
        assertEquals(network.numParams(), summary.totalParams());
    }

    @Test
    void parametersSurviveTheirStoredForm() {
        assertEquals(params, TrialParams.fromMap(params.asMap()));
    }
}
