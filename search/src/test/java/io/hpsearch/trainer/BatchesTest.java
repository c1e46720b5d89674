package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchesTest {
    /** Five examples of three features: example r holds r.0, r.1, r.2; its label is r mod 3. */
    private static final Examples EXAMPLES = new Examples(
            new float[]{0.0f, 0.1f, 0.2f, 1.0f, 1.1f, 1.2f, 2.0f, 2.1f, 2.2f, 3.0f, 3.1f, 3.2f, 4.0f, 4.1f, 4.2f},
            new int[]{0, 1, 2, 0, 1}, 3);

    @Test
    void aMinibatchHoldsTheRowsInTheirOrderWithOneHotLabels() {
        DataSet batch = Batches.gather(EXAMPLES, new int[]{4, 0, 3, 1, 2}, 1, 4, 3, null);
        INDArray features = batch.getFeatures();
        assertEquals(DataType.FLOAT, features.dataType());
        assertArrayEquals(new long[]{3, 3}, features.shape());
        assertEquals(Nd4j.createFromArray(new float[][]{{0.0f, 0.1f, 0.2f}, {3.0f, 3.1f, 3.2f}, {1.0f, 1.1f, 1.2f}}),
                features);
        assertEquals(Nd4j.createFromArray(new float[][]{{1, 0, 0}, {1, 0, 0}, {0, 1, 0}}), batch.getLabels());
    }

    @Test
    void inferenceFeaturesAreConsecutiveRows() {
        assertEquals(Nd4j.createFromArray(new float[][]{{3.0f, 3.1f, 3.2f}, {4.0f, 4.1f, 4.2f}}),
                Batches.features(EXAMPLES, 3, 5));
    }
}
