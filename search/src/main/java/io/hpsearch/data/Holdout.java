package io.hpsearch.data;

import java.util.List;

/**
 * The test part of a source that has none of its own: a stratified share of the training file, held out before
 * anything else with a fixed seed, so every run on the same file has the same test set whatever its own seed.
 */
public final class Holdout {
    /** Fixed so the test examples depend on the data only, never on a run's seed. */
    static final long SEED = 20_261_130L;

    private Holdout() {
    }

    /**
     * Splits {@code all} into the examples to search on ({@link Split#train()}) and the test examples
     * ({@link Split#validation()}).
     *
     * @param source  names the data in messages (a file or folder)
     * @param classes class names, for messages
     * @throws DataException when a class has too few examples to be on both sides
     */
    public static Split testSplit(Examples all, double fraction, String source, List<String> classes) {
        requireSplittable(all, fraction, source, classes, "hold out a test split (test_split: " + fraction
                + "); add examples of it, or give the test examples with test:");
        return Split.stratified(all, fraction, SEED, 0);
    }

    /**
     * Checks that every class can have an example on both sides of a stratified split of {@code fraction}.
     *
     * @param purpose what the split is for, ending the message
     */
    public static void requireSplittable(Examples all, double fraction, String source, List<String> classes,
                                         String purpose) {
        int[] counts = all.classCounts(classes.size());
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < 2) {
                throw new DataException(source + ": class '" + classes.get(c) + "' has " + counts[c] + " example"
                        + (counts[c] == 1 ? "" : "s") + "; at least 2 are needed to " + purpose);
            }
        }
    }
}
