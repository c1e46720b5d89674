package io.hpsearch.data;

import java.util.Random;

/** Seeded in-place shuffles of row indices, so that a seed always gives the same order. */
public final class Permutations {
    private Permutations() {
    }

    /** Fisher-Yates shuffle of {@code rows}, driven by {@code random}. */
    public static void shuffle(int[] rows, Random random) {
        for (int i = rows.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
    }
}
