package io.hpsearch.sampler;

import java.util.List;
import java.util.Random;

/**
 * Several parameters' Parzen estimator, as Optuna's multivariate TPE builds it: kernel k is the product of every
 * parameter's kernel k (the same observation, or the prior), so a draw keeps a good trial's parameters together
 * instead of mixing each parameter's good values independently. Numerical kernels are as wide as Scott's rule
 * makes them for the number of parameters ({@link ParzenEstimator.Numerical#scottSigmas}).
 *
 * @param dimensions one estimator per parameter, built from the same trials in the same order
 */
record MultivariateParzenEstimator(List<ParzenEstimator> dimensions) {

    /**
     * The estimator of {@code observations[t][d]}, trial t's internal value of parameter d (oldest trial first),
     * over {@code domains}.
     */
    static MultivariateParzenEstimator of(List<TpeDomain> domains, double[][] observations, double priorWeight) {
        int d = domains.size();
        ParzenEstimator[] dims = new ParzenEstimator[d];
        for (int j = 0; j < d; j++) {
            double[] column = new double[observations.length];
            for (int t = 0; t < observations.length; t++) {
                column[t] = observations[t][j];
            }
            dims[j] = ParzenEstimator.of(domains.get(j), column, priorWeight, d);
        }
        return new MultivariateParzenEstimator(List.of(dims));
    }

    private double[] weights() {
        return dimensions.get(0).weights();
    }

    /** A draw: one kernel picked by its weight, every parameter drawn from it. */
    double[] sample(Random rng) {
        int k = ParzenEstimator.pick(rng, weights());
        double[] x = new double[dimensions.size()];
        for (int j = 0; j < x.length; j++) {
            x[j] = dimensions.get(j).sampleKernel(k, rng);
        }
        return x;
    }

    /** The mixture's log density at {@code x}: per kernel, the sum of the parameters' log densities. */
    double logPdf(double[] x) {
        double[] w = weights();
        double[] terms = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            double t = Math.log(w[k]);
            for (int j = 0; j < x.length && t > Double.NEGATIVE_INFINITY; j++) {
                t += dimensions.get(j).logKernel(k, x[j]);
            }
            terms[k] = t;
        }
        return ParzenEstimator.logSumExp(terms);
    }
}
