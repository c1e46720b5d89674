package io.hpsearch.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** A seeded, stratified train/validation split: every class keeps its share in both parts. */
public record Split(Examples train, Examples validation) {

    /**
     * Splits {@code all} so that {@code validationFraction} of each class goes to validation; with a
     * {@code trainLimit} above 0 the training part is then cut to that many examples, again per class.
     * The same seed always gives the same split.
     */
    public static Split stratified(Examples all, double validationFraction, long seed, int trainLimit) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1): " + validationFraction);
        }
        Random random = new Random(seed);
        List<int[]> byClass = rowsByClass(all.labels());
        List<int[]> trainByClass = new ArrayList<>();
        List<int[]> validation = new ArrayList<>();
        for (int[] rows : byClass) {
            Permutations.shuffle(rows, random);
            int v = (int) Math.round(rows.length * validationFraction);
            if (rows.length >= 2) {
                // A small class keeps at least one example on each side, so both parts know every class.
                v = Math.max(1, Math.min(rows.length - 1, v));
            }
            validation.add(Arrays.copyOfRange(rows, 0, v));
            trainByClass.add(Arrays.copyOfRange(rows, v, rows.length));
        }
        int trainTotal = trainByClass.stream().mapToInt(r -> r.length).sum();
        if (trainLimit > 0 && trainLimit < trainTotal) {
            trainByClass = capPerClass(trainByClass, trainTotal, trainLimit);
        }
        int[] trainRows = concat(trainByClass);
        int[] validationRows = concat(validation);
        // Mix the classes so that minibatches are not sorted by label; training reshuffles every epoch anyway.
        Permutations.shuffle(trainRows, random);
        Permutations.shuffle(validationRows, random);
        return new Split(all.rows(trainRows), all.rows(validationRows));
    }

    private static List<int[]> rowsByClass(int[] labels) {
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        List<int[]> rows = new ArrayList<>();
        int[] filled = new int[classes];
        for (int c = 0; c < classes; c++) {
            rows.add(new int[counts[c]]);
        }
        for (int i = 0; i < labels.length; i++) {
            rows.get(labels[i])[filled[labels[i]]++] = i;
        }
        return rows;
    }

    /**
     * Refuses a training limit (above 0) below the number of classes: each class keeps at least one example.
     *
     * @throws DataException naming training.train_limit
     */
    public static void checkTrainLimit(int limit, int classes) {
        if (limit > 0 && limit < classes) {
            throw new DataException("training.train_limit " + limit + " keeps fewer training examples than there are "
                    + "classes (" + classes + "); every class needs one: raise it to at least " + classes);
        }
    }

    /**
     * Keeps {@code limit} rows in all, each class in proportion (largest remainders get the leftovers), and every
     * class at least one: a class left out would be one the networks never see, silently.
     *
     * @throws DataException when the limit is below the number of classes
     */
    private static List<int[]> capPerClass(List<int[]> byClass, int total, int limit) {
        int classes = byClass.size();
        checkTrainLimit(limit, (int) byClass.stream().filter(rows -> rows.length > 0).count());
        int[] keep = new int[classes];
        double[] remainder = new double[classes];
        int kept = 0;
        for (int c = 0; c < classes; c++) {
            double exact = (double) byClass.get(c).length * limit / total;
            keep[c] = (int) Math.floor(exact);
            remainder[c] = exact - keep[c];
            if (keep[c] == 0 && byClass.get(c).length > 0) {
                keep[c] = 1;
                remainder[c] = -1;
            }
            kept += keep[c];
        }
        // The classes raised to one may overshoot the limit: the largest give back.
        while (kept > limit) {
            int largest = 0;
            for (int c = 1; c < classes; c++) {
                if (keep[c] > keep[largest]) {
                    largest = c;
                }
            }
            keep[largest]--;
            kept--;
        }
        while (kept < limit) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (remainder[c] > remainder[best]) {
                    best = c;
                }
            }
            keep[best]++;
            remainder[best] = -1;
            kept++;
        }
        List<int[]> capped = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            capped.add(Arrays.copyOf(byClass.get(c), keep[c]));
        }
        return capped;
    }

    private static int[] concat(List<int[]> parts) {
        int[] all = new int[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

}
