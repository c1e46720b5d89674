package io.hpsearch.sampler;

import java.util.Arrays;
import java.util.Random;

/**
 * One parameter's Parzen estimator: a weighted mixture of one kernel per observation plus a prior kernel, as
 * Optuna 4's univariate {@code _ParzenEstimator} builds it. TPE builds one from the good trials, l(x), and one from
 * the rest, g(x). Values are a {@link TpeDomain}'s internal ones.
 */
sealed interface ParzenEstimator {
    /** Optuna's magic clip: no kernel narrower than the range over min(100, kernels + 1). */
    double MAGIC_CLIP_MAX_DIVISOR = 100.0;

    /**
     * The estimator of {@code observations} (internal values, oldest trial first: the default weights favour the
     * newest) in {@code domain}.
     */
    static ParzenEstimator of(TpeDomain domain, double[] observations, double priorWeight) {
        double[] weights = mixtureWeights(observations.length, priorWeight);
        if (domain instanceof TpeDomain.Categorical categorical) {
            return Categorical.of(categorical.choices().size(), observations, priorWeight, weights);
        }
        return Numerical.of((TpeDomain.Numeric) domain, observations, weights);
    }

    /** A draw: pick a kernel by its weight, then draw from it. */
    double sample(Random rng);

    /** The mixture's log density (log probability for grid and categorical parameters) at {@code x}. */
    double logPdf(double x);

    /**
     * Optuna's default_weights(n): equal weights for fewer than 25 observations; beyond, the oldest n - 25 ramp up
     * linearly from 1/n to 1 and the newest 25 weigh 1.
     */
    static double[] defaultWeights(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        if (n >= 25) {
            int ramp = n - 25;
            double start = 1.0 / n;
            // numpy.linspace(1/n, 1, n - 25): the last point exactly 1.
            for (int i = 0; i < ramp; i++) {
                w[i] = ramp == 1 ? start : (i == ramp - 1 ? 1.0 : start + i * (1.0 - start) / (ramp - 1));
            }
        }
        return w;
    }

    /** The observations' default weights and the prior's, normalised; the prior alone when nothing is observed. */
    static double[] mixtureWeights(int n, double priorWeight) {
        if (n == 0) {
            return new double[]{1.0};
        }
        double[] w = Arrays.copyOf(defaultWeights(n), n + 1);
        w[n] = priorWeight;
        double sum = Arrays.stream(w).sum();
        for (int i = 0; i <= n; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** Picks a kernel index with probability {@code weights[k]}. */
    private static int pick(Random rng, double[] weights) {
        double u = rng.nextDouble();
        double cumulative = 0;
        for (int k = 0; k < weights.length - 1; k++) {
            cumulative += weights[k];
            if (u < cumulative) {
                return k;
            }
        }
        return weights.length - 1;
    }

    /** log(sum_k exp(terms[k])), safe when every term is -infinity. */
    private static double logSumExp(double[] terms) {
        double max = Double.NEGATIVE_INFINITY;
        for (double t : terms) {
            max = Math.max(max, t);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return Math.log(sum) + max;
    }

    /**
     * Optuna's categorical kernels: kernel k puts prior_weight / (n + 1) on every choice and 1 more on its
     * observation, normalised; the prior kernel is uniform.
     */
    record Categorical(double[] weights, double[][] probabilities) implements ParzenEstimator {
        static Categorical of(int choices, double[] observations, double priorWeight, double[] weights) {
            int n = observations.length;
            if (n == 0) {
                double[] uniform = new double[choices];
                Arrays.fill(uniform, 1.0 / choices);
                return new Categorical(weights, new double[][]{uniform});
            }
            double[][] p = new double[n + 1][choices];
            for (int k = 0; k <= n; k++) {
                Arrays.fill(p[k], priorWeight / (n + 1));
                if (k < n) {
                    p[k][(int) observations[k]] += 1;
                }
                double sum = Arrays.stream(p[k]).sum();
                for (int c = 0; c < choices && sum > 0; c++) {
                    p[k][c] /= sum;
                }
            }
            return new Categorical(weights, p);
        }

        @Override
        public double sample(Random rng) {
            double[] row = probabilities[pick(rng, weights)];
            return pick(rng, row);
        }

        @Override
        public double logPdf(double x) {
            int c = (int) x;
            double[] terms = new double[weights.length];
            for (int k = 0; k < weights.length; k++) {
                terms[k] = Math.log(weights[k]) + Math.log(probabilities[k][c]);
            }
            return logSumExp(terms);
        }
    }

    /**
     * Optuna's numerical kernels: truncated normals on the range (widened by half a step each side for a grid,
     * in log space for a log range), one at each observation, its width the larger gap to its neighbours (the
     * extreme ones the gap to their only neighbour: consider_endpoints false), clipped by the magic clip to
     * [range / min(100, n + 2), range]; the prior kernel sits mid-range with the range as its width.
     *
     * @param low  the lower bound in model space (log, widened)
     * @param high the upper bound in model space
     * @param step the grid's stride (0: continuous); a grid draw is rounded to the grid, and a grid point's
     *             probability is its cell's mass
     */
    record Numerical(TpeDomain.Numeric domain, double[] weights, double[] mus, double[] sigmas, double low,
                     double high, double step, double[] logMass) implements ParzenEstimator {

        static Numerical of(TpeDomain.Numeric domain, double[] observations, double[] weights) {
            double low = domain.low() - domain.step() / 2;
            double high = domain.high() + domain.step() / 2;
            double[] mus = observations.clone();
            if (domain.log()) {
                low = Math.log(low);
                high = Math.log(high);
                for (int i = 0; i < mus.length; i++) {
                    mus[i] = Math.log(mus[i]);
                }
            }
            double[] sigmas = sigmas(mus, low, high);
            int n = mus.length;
            mus = Arrays.copyOf(mus, n + 1);
            sigmas = Arrays.copyOf(sigmas, n + 1);
            mus[n] = 0.5 * (low + high);
            sigmas[n] = high - low;
            // Each kernel's mass inside the range, for its normalisation: once here, not once per candidate.
            double[] logMass = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                logMass[k] = TruncatedNormal.logGaussMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
            }
            // n observations give n + 1 kernels and weights; with none, the prior alone (weight 1).
            return new Numerical(domain, weights, mus, sigmas, low, high, domain.step(), logMass);
        }

        /** Optuna's univariate bandwidths (the observations only; the prior's is set apart). */
        static double[] sigmas(double[] mus, double low, double high) {
            int n = mus.length;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (i, j) -> Double.compare(mus[i], mus[j]));
            double[] sorted = new double[n + 2];
            sorted[0] = low;
            for (int i = 0; i < n; i++) {
                sorted[i + 1] = mus[order[i]];
            }
            sorted[n + 1] = high;
            double[] sortedSigmas = new double[n];
            for (int i = 0; i < n; i++) {
                sortedSigmas[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
            }
            if (n + 2 >= 4) {
                // consider_endpoints false: the range's ends do not widen the extreme kernels.
                sortedSigmas[0] = sorted[2] - sorted[1];
                sortedSigmas[n - 1] = sorted[n] - sorted[n - 1];
            }
            double max = high - low;
            double min = (high - low) / Math.min(MAGIC_CLIP_MAX_DIVISOR, 1.0 + (n + 1));
            double[] sigmas = new double[n];
            for (int i = 0; i < n; i++) {
                sigmas[order[i]] = Math.min(max, Math.max(min, sortedSigmas[i]));
            }
            return sigmas;
        }

        @Override
        public double sample(Random rng) {
            int k = pick(rng, weights);
            double x = TruncatedNormal.sample(rng, mus[k], sigmas[k], low, high);
            if (domain.log()) {
                x = Math.exp(x);
            }
            if (step > 0) {
                return domain.low() + domain.index(x) * step;
            }
            return Math.min(domain.high(), Math.max(domain.low(), x));
        }

        @Override
        public double logPdf(double x) {
            double[] terms = new double[weights.length];
            if (step > 0) {
                // A grid point's probability: its kernel's mass over [x - step/2, x + step/2], renormalised.
                for (int k = 0; k < weights.length; k++) {
                    double a = (x - step / 2 - mus[k]) / sigmas[k];
                    double b = (x + step / 2 - mus[k]) / sigmas[k];
                    terms[k] = Math.log(weights[k]) + TruncatedNormal.logGaussMass(a, b) - logMass[k];
                }
                return logSumExp(terms);
            }
            double t = domain.log() ? Math.log(x) : x;
            if (t < low || t > high) {
                return Double.NEGATIVE_INFINITY;
            }
            for (int k = 0; k < weights.length; k++) {
                terms[k] = Math.log(weights[k]) + TruncatedNormal.normLogPdf((t - mus[k]) / sigmas[k])
                        - logMass[k] - Math.log(sigmas[k]);
            }
            return logSumExp(terms);
        }
    }
}
