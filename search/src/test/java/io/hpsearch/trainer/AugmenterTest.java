package io.hpsearch.trainer;

import io.hpsearch.data.InputShape;
import io.hpsearch.space.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmenterTest {
    /** A 3x3 image with pixel value = 1 + its index, so every move is visible. */
    private static float[] image() {
        float[] x = new float[9];
        for (int i = 0; i < 9; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void shiftsMoveThePictureAndFillWithBlack() {
        boolean sawShift = false;
        Augmenter augmenter = new Augmenter(new TrainingSpec.Augment(1, false), InputShape.image(1, 3, 3), new Random(1));
        for (int i = 0; i < 50; i++) {
            float[] x = image();
            augmenter.apply(x, 0);
            float total = 0;
            for (float v : x) {
                total += v;
            }
            // Shifts only move pixels or drop them off the edge: nothing new appears.
            assertTrue(total <= 45, "pixels only move or fall off");
            sawShift |= total < 45;
        }
        assertTrue(sawShift, "some draws shift the image");
    }

    @Test
    void aMirrorImageReversesEachRow() {
        Augmenter augmenter = new Augmenter(new TrainingSpec.Augment(0, true), InputShape.image(1, 3, 3), new Random(2));
        int mirrored = 0;
        for (int i = 0; i < 40; i++) {
            float[] x = image();
            augmenter.apply(x, 0);
            if (x[0] == 3f) {
                assertArrayEquals(new float[]{3, 2, 1, 6, 5, 4, 9, 8, 7}, x);
                mirrored++;
            } else {
                assertArrayEquals(image(), x);
            }
        }
        assertTrue(mirrored > 5 && mirrored < 35, "about half are mirrored: " + mirrored);
    }

    @Test
    void onlyTheImageAtTheOffsetChanges() {
        float[] two = new float[18];
        System.arraycopy(image(), 0, two, 9, 9);
        new Augmenter(new TrainingSpec.Augment(0, true), InputShape.image(1, 3, 3), new Random(5) {
            @Override
            public boolean nextBoolean() {
                return true;
            }
        }).apply(two, 9);
        assertEquals(0f, two[0]);
        assertEquals(3f, two[9]);
    }
}
