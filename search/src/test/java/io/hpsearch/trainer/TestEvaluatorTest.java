package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import io.hpsearch.data.InputShape;
import io.hpsearch.store.ClassMetrics;
import io.hpsearch.store.TestEvaluation;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TestEvaluatorTest {
    @Test
    void macroF1IsTheMeanOfTheClassesF1AlsoForTwoClasses() {
        // An untrained network on random two-class rows: its two classes' F1 scores differ.
        Random random = new Random(3);
        float[] x = new float[200 * 4];
        int[] y = new int[200];
        for (int i = 0; i < y.length; i++) {
            for (int f = 0; f < 4; f++) {
                x[i * 4 + f] = (float) random.nextGaussian();
            }
            y[i] = i % 3 == 0 ? 1 : 0;
        }
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.build(
                TestParams.mlp(0, List.of(8), List.of(0.0)), 9, InputShape.table(4), 2));
        network.init();

        TestEvaluation test = TestEvaluator.evaluate(Net.of(network), new Examples(x, y, 4), List.of("benign", "malignant"),
                1, 1, "model.zip");

        double f1Benign = test.classes().get(0).f1();
        double f1Malignant = test.classes().get(1).f1();
        assertNotEquals(f1Benign, f1Malignant, 1e-6, "the check needs two different scores");
        assertEquals((f1Benign + f1Malignant) / 2, test.macroF1(), 1e-12);
        assertEquals(List.of("benign", "malignant"), test.classes().stream().map(ClassMetrics::className).toList());
    }
}
