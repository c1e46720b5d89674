package io.hpsearch.data;

/** Placeholder until the data package lands (same API). */
public record Examples(float[] features, int[] labels, int featureCount) {
    public int size() {
        return labels.length;
    }
}
