package io.hpsearch.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** train_limit keeps every class: a rare class rounded down to no example would never be seen in training. */
class SplitTest {
    /** 100 examples of class 0, 2 of class 1. */
    private static Examples skewed() {
        int[] labels = new int[102];
        labels[100] = 1;
        labels[101] = 1;
        float[] x = new float[102];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Examples(x, labels, 1);
    }

    @Test
    void aRareClassKeepsOneTrainingExampleUnderTheLimit() {
        Split split = Split.stratified(skewed(), 0.2, 42, 10);
        assertEquals(10, split.train().size());
        // In proportion class 1 would keep 0.12 of an example, rounded to none.
        assertArrayEquals(new int[]{9, 1}, split.train().classCounts(2));
    }

    @Test
    void aLimitBelowTheClassesIsRefused() {
        DataException e = assertThrows(DataException.class, () -> Split.stratified(skewed(), 0.2, 42, 1));
        assertEquals("training.train_limit 1 keeps fewer training examples than there are classes (2); every class "
                + "needs one: raise it to at least 2", e.getMessage());
    }
}
