package io.hpsearch.trainer;

import io.hpsearch.data.InputShape;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastDropoutTest {
    @Test
    void keepsUnitsWithTheGivenProbabilityScaledUpAndDropsTheSameOnesInTheGradient() {
        FastDropout dropout = new FastDropout();
        INDArray input = Nd4j.rand(DataType.FLOAT, 256, 512).addi(0.5);
        INDArray output = input.ulike();
        Nd4j.getRandom().setSeed(3);
        dropout.applyDropout(input, output, 0.8);
        INDArray kept = output.neq(0).castTo(DataType.FLOAT);
        double fraction = kept.meanNumber().doubleValue();
        // 131,072 draws: the kept fraction's standard deviation is 0.0011.
        assertEquals(0.8, fraction, 0.006, "kept fraction");
        assertEquals(input.mul(kept).div(0.8), output, "kept units are not the input scaled by 1/p");

        INDArray gradient = Nd4j.rand(DataType.FLOAT, 256, 512).addi(0.5);
        INDArray back = gradient.ulike();
        dropout.backprop(gradient, back);
        assertEquals(gradient.mul(kept).div(0.8), back, "the gradient was not masked as the activations were");
    }

    @Test
    void theSameSeedDropsTheSameUnitsAndAnotherOthers() {
        INDArray input = Nd4j.ones(DataType.FLOAT, 64, 100);
        INDArray first = mask(input, 5);
        assertEquals(first, mask(input, 5));
        assertNotEquals(first, mask(input, 6));
    }

    @Test
    void anArrayOutOfRowMajorOrderIsMaskedElementForElement() {
        FastDropout dropout = new FastDropout();
        INDArray rows = Nd4j.rand(DataType.FLOAT, 64, 50).addi(0.5);
        INDArray columnMajor = rows.dup('f');
        INDArray view = Nd4j.rand(DataType.FLOAT, 64, 80).get(NDArrayIndex.all(), NDArrayIndex.interval(10, 60));
        view.assign(rows);
        Nd4j.getRandom().setSeed(9);
        INDArray expected = rows.ulike();
        dropout.applyDropout(rows, expected, 0.5);
        for (INDArray in : List.of(columnMajor, view)) {
            Nd4j.getRandom().setSeed(9);
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[]{64, 50}, 'f');
            dropout.applyDropout(in, out, 0.5);
            assertEquals(expected, out);
        }
    }

    @Test
    void theFactoryGivesEachLayersDropoutItsOwnHelper() {
        try (Net network = NetworkFactory.network(TestParams.mlp(0.2, List.of(32, 16), List.of(0.3, 0.3)), 7,
                InputShape.image(1, 28, 28), 10)) {
            List<Object> helpers = new java.util.ArrayList<>();
            for (Layer layer : network.layers()) {
                if (layer.conf().getLayer().getIDropout() instanceof Dropout dropout) {
                    assertInstanceOf(FastDropout.class, dropout.getHelper());
                    assertTrue(helpers.stream().noneMatch(h -> h == dropout.getHelper()), "two layers share a mask");
                    helpers.add(dropout.getHelper());
                }
            }
            assertEquals(3, helpers.size(), "input dropout and two hidden layers' dropout");
        }
    }

    private static INDArray mask(INDArray input, long seed) {
        INDArray out = input.ulike();
        Nd4j.getRandom().setSeed(seed);
        new FastDropout().applyDropout(input, out, 0.7);
        return out;
    }
}
