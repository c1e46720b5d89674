package io.hpsearch.data;

import java.util.Arrays;

/**
 * Labelled examples as one flat row-major feature array, shared read-only by all workers.
 *
 * @param features     {@code size() * featureCount} values, pixels scaled to [0, 1]
 * @param labels       class index of each row
 * @param featureCount values per row (784 for 28x28 images)
 */
public record Examples(float[] features, int[] labels, int featureCount) {
    public Examples {
        if (featureCount <= 0 || features.length != (long) labels.length * featureCount) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected "
                    + labels.length + " rows x " + featureCount);
        }
    }

    public int size() {
        return labels.length;
    }

    /** A copy holding the given rows, in the given order. */
    public Examples rows(int[] rows) {
        float[] x = new float[rows.length * featureCount];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * featureCount, x, i * featureCount, featureCount);
            y[i] = labels[rows[i]];
        }
        return new Examples(x, y, featureCount);
    }

    /** Number of rows of each class {@code 0..classes-1}. */
    public int[] classCounts(int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Examples e && featureCount == e.featureCount
                && Arrays.equals(labels, e.labels) && Arrays.equals(features, e.features);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + featureCount;
    }

    @Override
    public String toString() {
        return "Examples[" + size() + " rows x " + featureCount + "]";
    }
}
