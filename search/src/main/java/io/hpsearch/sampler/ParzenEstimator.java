package io.hpsearch.sampler;

import java.util.Arrays;
import java.util.Random;

/**
 * One parameter's Parzen estimator: a weighted mixture of one kernel per observation plus a prior kernel, as
 * Optuna 4's {@code _ParzenEstimator} builds it. TPE builds one from the good trials, l(x), and one from the rest,
 * g(x). Values are a {@link TpeDomain}'s internal ones. The kernels can also be read one by one ({@link
 * #sampleKernel}, {@link #logKernel}): {@link MultivariateParzenEstimator} multiplies several parameters' kernel k.
 */
sealed interface ParzenEstimator {
    /** Optuna's magic clip: no kernel narrower than the range over min(100, kernels + 1). */
    double MAGIC_CLIP_MAX_DIVISOR = 100.0;

    /**
     * The estimator of {@code observations} (internal values, oldest trial first: the default weights favour the
     * newest) in {@code domain}.
     */
    static ParzenEstimator of(TpeDomain domain, double[] observations, double priorWeight) {
        return of(domain, observations, priorWeight, 0);
    }

    /**
     * As {@link #of(TpeDomain, double[], double)}, its numerical kernels as wide as Optuna's multivariate TPE makes
     * them when the parameter is one of {@code dimensions} modelled jointly (0: univariate, widths from the gaps).
     */
    static ParzenEstimator of(TpeDomain domain, double[] observations, double priorWeight, int dimensions) {
        double[] weights = mixtureWeights(observations.length, priorWeight);
        if (domain instanceof TpeDomain.Categorical categorical) {
            return Categorical.of(categorical.choices().size(), observations, priorWeight, weights);
        }
        return Numerical.of((TpeDomain.Numeric) domain, observations, weights, dimensions);
    }

    /** The mixture's weights: the observations' kernels, oldest first, then the prior's. */
    double[] weights();

    /** A draw from kernel {@code k} alone. */
    double sampleKernel(int k, Random rng);

    /** Kernel {@code k}'s log density (log probability for grid and categorical parameters) at {@code x}. */
    double logKernel(int k, double x);

    /** A draw: pick a kernel by its weight, then draw from it. */
    default double sample(Random rng) {
        return sampleKernel(pick(rng, weights()), rng);
    }

    /** The mixture's log density (log probability for grid and categorical parameters) at {@code x}. */
    default double logPdf(double x) {
        double[] w = weights();
        double[] terms = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            terms[k] = Math.log(w[k]) + logKernel(k, x);
        }
        return logSumExp(terms);
    }

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
    static int pick(Random rng, double[] weights) {
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
    static double logSumExp(double[] terms) {
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
        public double sampleKernel(int k, Random rng) {
            return pick(rng, probabilities[k]);
        }

        @Override
        public double logKernel(int k, double x) {
            return Math.log(probabilities[k][(int) x]);
        }
    }

    /**
     * Optuna's numerical kernels: truncated normals on the range (widened by half a step each side for a grid,
     * in log space for a log range), one at each observation, and the prior kernel mid-range with the range as its
     * width. Univariate, an observation's kernel is as wide as the larger gap to its neighbours among the
     * observations and the prior's centre (the extreme ones the gap to their only neighbour: consider_endpoints
     * false); in a multivariate model of d parameters every kernel is 0.2 n^(-1/(d+4)) of the range wide (Scott's
     * rule, as Optuna's). Either way the magic clip keeps widths in [range / min(100, n + 2), range].
     *
     * @param low  the lower bound in model space (log, widened)
     * @param high the upper bound in model space
     * @param step the grid's stride (0: continuous); a grid draw is rounded to the grid, and a grid point's
     *             probability is its cell's mass
     */
    record Numerical(TpeDomain.Numeric domain, double[] weights, double[] mus, double[] sigmas, double low,
                     double high, double step, double[] logMass) implements ParzenEstimator {

        /** Optuna's SIGMA0_MAGNITUDE: a multivariate kernel's width for one observation, as a share of the range. */
        static final double SIGMA0_MAGNITUDE = 0.2;

        static Numerical of(TpeDomain.Numeric domain, double[] observations, double[] weights, int dimensions) {
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
            double[] sigmas = dimensions > 0 ? scottSigmas(mus.length, dimensions, low, high)
                    : sigmas(mus, low, high);
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

        /**
         * Optuna's univariate bandwidths of the observations {@code mus}: the prior's centre sits among them as a
         * neighbour (Optuna's "dependency on prior_mu", from 3.1 to 4.8; 4.9 removed it), but its own width is set
         * apart.
         */
        static double[] sigmas(double[] mus, double low, double high) {
            int n = mus.length;
            double[] withPrior = Arrays.copyOf(mus, n + 1);
            withPrior[n] = 0.5 * (low + high);
            Integer[] order = new Integer[n + 1];
            for (int i = 0; i <= n; i++) {
                order[i] = i;
            }
            // A stable sort, as numpy's argsort of Optuna's (the prior, last, after an equal observation).
            Arrays.sort(order, (i, j) -> Double.compare(withPrior[i], withPrior[j]));
            double[] sorted = new double[n + 3];
            sorted[0] = low;
            for (int i = 0; i <= n; i++) {
                sorted[i + 1] = withPrior[order[i]];
            }
            sorted[n + 2] = high;
            double[] sortedSigmas = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                sortedSigmas[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
            }
            if (n >= 1) {
                // consider_endpoints false: the range's ends do not widen the extreme kernels.
                sortedSigmas[0] = sorted[2] - sorted[1];
                sortedSigmas[n] = sorted[n + 1] - sorted[n];
            }
            double[] sigmas = new double[n];
            for (int i = 0; i <= n; i++) {
                if (order[i] < n) {
                    sigmas[order[i]] = clip(sortedSigmas[i], n, low, high);
                }
            }
            return sigmas;
        }

        /** Optuna's multivariate bandwidth: the same for every one of the n observations. */
        static double[] scottSigmas(int n, int dimensions, double low, double high) {
            double sigma = SIGMA0_MAGNITUDE * Math.pow(Math.max(n, 1), -1.0 / (dimensions + 4)) * (high - low);
            double[] sigmas = new double[n];
            Arrays.fill(sigmas, clip(sigma, n, low, high));
            return sigmas;
        }

        /** The magic clip: no kernel narrower than the range over min(100, kernels + 1), none wider than it. */
        private static double clip(double sigma, int n, double low, double high) {
            double min = (high - low) / Math.min(MAGIC_CLIP_MAX_DIVISOR, 1.0 + (n + 1));
            return Math.min(high - low, Math.max(min, sigma));
        }

        @Override
        public double sampleKernel(int k, Random rng) {
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
        public double logKernel(int k, double x) {
            if (step > 0) {
                // A grid point's probability: its kernel's mass over [x - step/2, x + step/2], renormalised.
                double a = (x - step / 2 - mus[k]) / sigmas[k];
                double b = (x + step / 2 - mus[k]) / sigmas[k];
                return TruncatedNormal.logGaussMass(a, b) - logMass[k];
            }
            double t = domain.log() ? Math.log(x) : x;
            if (t < low || t > high) {
                return Double.NEGATIVE_INFINITY;
            }
            return TruncatedNormal.normLogPdf((t - mus[k]) / sigmas[k]) - logMass[k] - Math.log(sigmas[k]);
        }
    }
}
