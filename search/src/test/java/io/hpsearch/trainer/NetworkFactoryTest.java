package io.hpsearch.trainer;

import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NetworkFactoryTest {

    @Test
    void yamlDropoutIsTheDropProbabilityAndDl4jTakesTheRetainProbability() {
        assertEquals(0.8, NetworkFactory.retainProbability(0.2), 1e-12);
        assertEquals(1.0, NetworkFactory.retainProbability(0.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> NetworkFactory.retainProbability(1.0));
    }

    @Test
    void eachDropoutAppliesToTheOutputOfItsLayer() {
        TrialParams params = TestParams.mlp(0.1, List.of(256, 64), List.of(0.3, 0.0));
        MultiLayerConfiguration conf = NetworkFactory.build(params, 1, TestParams.FASHION, 10);
        assertEquals(3, conf.getConfs().size());
        // DL4J drops a layer's input: input dropout on layer 0, layer 1's own dropout on the next layer's input.
        assertEquals(0.9, retain(conf, 0), 1e-12);
        assertEquals(0.7, retain(conf, 1), 1e-12);
        assertNull(((BaseLayer) conf.getConf(2).getLayer()).getIDropout(), "dropout 0 means no dropout");

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(784 * 256 + 256 + 256 * 64 + 64 + 64 * 10 + 10, net.numParams());
    }

    private static double retain(MultiLayerConfiguration conf, int layer) {
        return ((Dropout) ((BaseLayer) conf.getConf(layer).getLayer()).getIDropout()).getP();
    }
}
