package io.hpsearch.importance;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A CART regression tree as scikit-learn's random forest grows it (squared error, every feature tried at each node
 * in a random order, thresholds half-way between neighbouring values, min_samples_split 2, min_samples_leaf 1),
 * over features already scaled to [0, 1]; with the fANOVA statistics of Hutter et al. (2014) that Optuna's
 * {@code _FanovaTree} computes: each node's region, volume and volume-weighted mean prediction.
 */
final class RegressionTree {
    private static final double EPSILON = 1e-12;
    // scikit-learn's FEATURE_THRESHOLD: values closer than this are one value.
    private static final double SAME_VALUE = 1e-7;

    private final int features;
    // Nodes in creation order, parents before children; feature -1 marks a leaf.
    private int size;
    private int[] feature = new int[16];
    private double[] threshold = new double[16];
    private int[] left = new int[16];
    private int[] right = new int[16];
    private double[] prediction = new double[16];
    // fANOVA statistics, filled by statistics(): volume of the node's region and the mean prediction over it.
    private double[] volume;
    private double[] mean;
    // Whether any node of the subtree splits on a feature, per node (node * features + feature).
    private boolean[] splitsBelow;
    private double[][] splits;
    private double totalVariance;

    /**
     * @param x       rows of features in [0, 1]
     * @param y       the value to predict per row
     * @param rows    the rows this tree learns from (a bootstrap sample: rows may repeat)
     */
    RegressionTree(double[][] x, double[] y, int[] rows, int maxDepth, SplittableRandom random) {
        this.features = x.length == 0 ? 0 : x[0].length;
        grow(x, y, rows.clone(), 0, rows.length, 0, maxDepth, random);
        statistics();
    }

    private int newNode() {
        if (size == feature.length) {
            int n = size * 2;
            feature = Arrays.copyOf(feature, n);
            threshold = Arrays.copyOf(threshold, n);
            left = Arrays.copyOf(left, n);
            right = Arrays.copyOf(right, n);
            prediction = Arrays.copyOf(prediction, n);
        }
        feature[size] = -1;
        return size++;
    }

    /** Grows the node for rows[from, to) and returns its index. */
    private int grow(double[][] x, double[] y, int[] rows, int from, int to, int depth, int maxDepth,
                     SplittableRandom random) {
        int node = newNode();
        int n = to - from;
        double sum = 0;
        double squares = 0;
        for (int i = from; i < to; i++) {
            sum += y[rows[i]];
            squares += y[rows[i]] * y[rows[i]];
        }
        prediction[node] = sum / n;
        double impurity = squares / n - prediction[node] * prediction[node];
        if (depth >= maxDepth || n < 2 || impurity <= EPSILON * Math.max(1, squares / n)) {
            return node;
        }
        // The split that most reduces squared error maximises sumL^2/nL + sumR^2/nR.
        double bestProxy = Double.NEGATIVE_INFINITY;
        int bestFeature = -1;
        double bestThreshold = 0;
        Integer[] order = new Integer[n];
        for (int f : permutation(features, random)) {
            for (int i = 0; i < n; i++) {
                order[i] = rows[from + i];
            }
            final int column = f;
            Arrays.sort(order, (a, b) -> Double.compare(x[a][column], x[b][column]));
            if (x[order[n - 1]][f] <= x[order[0]][f] + SAME_VALUE) {
                continue; // constant in this node
            }
            double leftSum = 0;
            for (int i = 0; i < n - 1; i++) {
                leftSum += y[order[i]];
                double here = x[order[i]][f];
                double next = x[order[i + 1]][f];
                if (next <= here + SAME_VALUE) {
                    continue;
                }
                int nl = i + 1;
                int nr = n - nl;
                double rightSum = sum - leftSum;
                double proxy = leftSum * leftSum / nl + rightSum * rightSum / nr;
                if (proxy > bestProxy) {
                    bestProxy = proxy;
                    bestFeature = f;
                    double mid = here / 2 + next / 2;
                    bestThreshold = mid >= next ? here : mid;
                }
            }
        }
        if (bestFeature < 0) {
            return node;
        }
        // Partition rows[from, to) around the threshold.
        int i = from;
        int j = to - 1;
        while (i <= j) {
            if (x[rows[i]][bestFeature] <= bestThreshold) {
                i++;
            } else {
                int t = rows[i];
                rows[i] = rows[j];
                rows[j--] = t;
            }
        }
        feature[node] = bestFeature;
        threshold[node] = bestThreshold;
        int l = grow(x, y, rows, from, i, depth + 1, maxDepth, random);
        left[node] = l;
        int r = grow(x, y, rows, i, to, depth + 1, maxDepth, random);
        right[node] = r;
        return node;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }

    private boolean leaf(int node) {
        return feature[node] < 0;
    }

    /** Volumes and means bottom-up, the features each subtree splits on, and each feature's split values. */
    private void statistics() {
        volume = new double[size];
        mean = new double[size];
        splitsBelow = new boolean[size * features];
        double[] low = new double[features];
        double[] high = new double[features];
        Arrays.fill(high, 1.0);
        fill(0, low, high);

        // The tree's variance: of its leaves' predictions, each weighted by its region's volume.
        double total = 0;
        double weighted = 0;
        for (int node = 0; node < size; node++) {
            if (leaf(node)) {
                total += volume[node];
                weighted += volume[node] * prediction[node];
            }
        }
        double average = weighted / total;
        double variance = 0;
        for (int node = 0; node < size; node++) {
            if (leaf(node)) {
                variance += volume[node] * (prediction[node] - average) * (prediction[node] - average);
            }
        }
        totalVariance = Math.max(0, variance / total);

        splits = new double[features][];
        for (int f = 0; f < features; f++) {
            final int column = f;
            splits[f] = java.util.stream.IntStream.range(0, size).filter(node -> feature[node] == column)
                    .mapToDouble(node -> threshold[node]).distinct().sorted().toArray();
        }
    }

    private void fill(int node, double[] low, double[] high) {
        if (leaf(node)) {
            double v = 1;
            for (int f = 0; f < features; f++) {
                v *= high[f] - low[f];
            }
            volume[node] = v;
            mean[node] = prediction[node];
            return;
        }
        int f = feature[node];
        double oldHigh = high[f];
        high[f] = threshold[node];
        fill(left[node], low, high);
        high[f] = oldHigh;
        double oldLow = low[f];
        low[f] = threshold[node];
        fill(right[node], low, high);
        low[f] = oldLow;

        double v = volume[left[node]] + volume[right[node]];
        volume[node] = v;
        mean[node] = v > 0 ? (volume[left[node]] * mean[left[node]] + volume[right[node]] * mean[right[node]]) / v
                : (mean[left[node]] + mean[right[node]]) / 2;
        int base = node * features;
        splitsBelow[base + f] = true;
        for (int g = 0; g < features; g++) {
            splitsBelow[base + g] |= splitsBelow[left[node] * features + g] || splitsBelow[right[node] * features + g];
        }
    }

    /** Variance of the tree's predictions over the whole space. */
    double variance() {
        return totalVariance;
    }

    /**
     * Variance of the tree's marginal prediction for one feature: the prediction at each value of the feature,
     * averaged over every other feature, is constant between two of the tree's split values; its variance over
     * those intervals, each weighted by its length.
     */
    double marginalVariance(int f) {
        double[] cuts = splits[f];
        int intervals = cuts.length + 1;
        double[] values = new double[intervals];
        double[] weights = new double[intervals];
        double weightSum = 0;
        double weighted = 0;
        for (int k = 0; k < intervals; k++) {
            double from = k == 0 ? 0 : cuts[k - 1];
            double to = k == cuts.length ? 1 : cuts[k];
            double[] stat = marginal(f, (from + to) / 2);
            values[k] = stat[0];
            weights[k] = stat[1] * (to - from);
            weightSum += weights[k];
            weighted += weights[k] * values[k];
        }
        if (weightSum <= 0) {
            return 0;
        }
        double average = weighted / weightSum;
        double variance = 0;
        for (int k = 0; k < intervals; k++) {
            variance += weights[k] * (values[k] - average) * (values[k] - average);
        }
        return Math.max(0, variance / weightSum);
    }

    /**
     * The prediction with feature f at {@code value}, averaged over the other features: {mean, weight}. Nodes that
     * split on f are followed one way; nodes above a split on f both ways; any other subtree contributes its mean,
     * weighted by its volume over the other features (its volume divided by its extent along f).
     */
    private double[] marginal(int f, double value) {
        int[] stack = new int[size];
        double[] lows = new double[size];
        double[] highs = new double[size];
        int top = 0;
        stack[top] = 0;
        lows[top] = 0;
        highs[top++] = 1;
        double weightSum = 0;
        double weighted = 0;
        while (top > 0) {
            top--;
            int node = stack[top];
            double low = lows[top];
            double high = highs[top];
            if (!leaf(node)) {
                if (feature[node] == f) {
                    boolean goLeft = value <= threshold[node];
                    stack[top] = goLeft ? left[node] : right[node];
                    lows[top] = goLeft ? low : threshold[node];
                    highs[top++] = goLeft ? threshold[node] : high;
                    continue;
                }
                if (splitsBelow[node * features + f]) {
                    stack[top] = left[node];
                    lows[top] = low;
                    highs[top++] = high;
                    stack[top] = right[node];
                    lows[top] = low;
                    highs[top++] = high;
                    continue;
                }
            }
            double extent = high - low;
            double w = extent > 0 ? volume[node] / extent : 0;
            weightSum += w;
            weighted += w * mean[node];
        }
        return new double[]{weightSum > 0 ? weighted / weightSum : 0, weightSum};
    }
}
