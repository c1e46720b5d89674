package io.hpsearch.importance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * fANOVA (Hutter, Hoos and Leyton-Brown, 2014) over a random forest, as Optuna's default
 * {@code FanovaImportanceEvaluator}: 64 regression trees of depth at most 64 on bootstrap samples predict the
 * objective from the parameters; a parameter's importance in a tree is the variance of the tree's prediction
 * when only that parameter varies (the others averaged out) over the variance of the whole prediction; importances
 * are averaged over the trees whose prediction varies, then scaled to sum to 1.
 */
public final class Fanova {
    public static final int TREES = 64;
    public static final int MAX_DEPTH = 64;

    private final int trees;
    private final int maxDepth;
    private final long seed;

    public Fanova(long seed) {
        this(TREES, MAX_DEPTH, seed);
    }

    public Fanova(int trees, int maxDepth, long seed) {
        this.trees = trees;
        this.maxDepth = maxDepth;
        this.seed = seed;
    }

    /**
     * @param x rows of parameters, each already encoded into [0, 1] (see {@link Domain#encode})
     * @param y the objective per row
     * @return one importance per column, summing to 1; all zero when no tree's prediction varies (every row has
     *         the same objective, or one row)
     */
    public double[] importances(double[][] x, double[] y) {
        int n = y.length;
        int columns = n == 0 ? 0 : x[0].length;
        double[] sums = new double[columns];
        int varying = 0;
        SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < trees; t++) {
            int[] sample = new int[n];
            for (int i = 0; i < n; i++) {
                sample[i] = random.nextInt(n);
            }
            RegressionTree tree = new RegressionTree(x, y, sample, maxDepth, random.split());
            double variance = tree.variance();
            if (variance <= 0) {
                continue;
            }
            varying++;
            for (int f = 0; f < columns; f++) {
                sums[f] += tree.marginalVariance(f) / variance;
            }
        }
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        double[] out = new double[columns];
        if (varying == 0 || total <= 0) {
            return out;
        }
        // Dividing the per-tree means by their total: the mean over trees cancels out.
        for (int f = 0; f < columns; f++) {
            out[f] = sums[f] / total;
        }
        return out;
    }

    /** A parameter and its share of the objective's variance. */
    public record ParamImportance(String param, double importance) {
    }

    /** Importances by name, largest first (ties by name, so that the order is stable). */
    public static List<ParamImportance> sorted(List<String> names, double[] importances) {
        List<ParamImportance> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new ParamImportance(names.get(i), importances[i]));
        }
        out.sort(Comparator.comparingDouble(ParamImportance::importance).reversed()
                .thenComparing(ParamImportance::param));
        return out;
    }
}
