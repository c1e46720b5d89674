package io.hpsearch.sampler;

import java.util.Random;

/**
 * The standard normal distribution's special functions and the truncated normal distribution TPE's kernels use,
 * written here because Java has no scipy. The log-space formulations follow Optuna's {@code _tpe/_truncnorm.py}
 * (itself from SciPy), so that kernels far out in a tail still give finite, comparable log densities.
 *
 * <p>Bounds {@code a}, {@code b} and points are in standard units, {@code (x - mu) / sigma}, as in scipy's
 * {@code truncnorm}.
 */
final class TruncatedNormal {
    private static final double SQRT2 = Math.sqrt(2);
    private static final double SQRT_PI = Math.sqrt(Math.PI);
    /** log(sqrt(2 pi)), the normal density's normalising constant. */
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private TruncatedNormal() {
    }

    /**
     * The complementary error function, to about 1e-14 relative error over the whole line: a series without
     * cancellation near 0, and a continued fraction in the tail, where {@code 1 - erf(x)} would lose every digit.
     */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x < 2) {
            return 1 - erfSeries(x);
        }
        if (x > 27.3) {
            return 0; // below the smallest double
        }
        return erfcContinuedFraction(x);
    }

    /** The error function. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        double ax = Math.abs(x);
        double value = ax < 2 ? erfSeries(ax) : 1 - erfcContinuedFraction(Math.min(ax, 27.3));
        return Math.copySign(value, x);
    }

    /**
     * erf(x) = 2/sqrt(pi) exp(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)) for x >= 0: every term is positive, so
     * nothing cancels (Abramowitz and Stegun 7.1.6).
     */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return 2 / SQRT_PI * Math.exp(-x2) * sum;
    }

    /**
     * erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) for x > 0 (A&amp;S 7.1.14),
     * evaluated by the modified Lentz method.
     */
    private static double erfcContinuedFraction(double x) {
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / SQRT_PI / f;
    }

    /** The standard normal CDF, Phi(a), by Optuna's {@code _ndtr_single}: erfc on whichever side keeps digits. */
    static double ndtr(double a) {
        double x = a / SQRT2;
        if (x < -1 / SQRT2) {
            return 0.5 * erfc(-x);
        }
        if (x < 1 / SQRT2) {
            return 0.5 + 0.5 * erf(x);
        }
        return 1 - 0.5 * erfc(x);
    }

    /** log Phi(a), accurate deep in both tails (Optuna's {@code _log_ndtr_single}). */
    static double logNdtr(double a) {
        if (a > 6) {
            return -ndtr(-a); // log(1 - e) ~ -e
        }
        if (a > -20) {
            return Math.log(ndtr(a));
        }
        // Asymptotic series of the left tail: Phi(a) ~ phi(a)/(-a) * (1 - 1/a^2 + 3/a^4 - ...).
        double logLhs = -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI;
        double last = 0;
        double rhs = 1;
        double numerator = 1;
        double denomFactor = 1;
        double denomCons = 1 / (a * a);
        int sign = 1;
        for (int i = 1; Math.abs(last - rhs) > Math.ulp(1.0) && i < 100; i++) {
            last = rhs;
            sign = -sign;
            denomFactor *= denomCons;
            numerator *= 2 * i - 1;
            rhs += sign * numerator * denomFactor;
        }
        return logLhs + Math.log(rhs);
    }

    /** log(exp(p) + exp(q)). */
    static double logSum(double p, double q) {
        if (p == Double.NEGATIVE_INFINITY) {
            return q;
        }
        if (q == Double.NEGATIVE_INFINITY) {
            return p;
        }
        double max = Math.max(p, q);
        return max + Math.log1p(Math.exp(-Math.abs(p - q)));
    }

    /** log(exp(p) - exp(q)) for p >= q. */
    private static double logDiff(double p, double q) {
        return p + Math.log1p(-Math.exp(q - p));
    }

    /** The standard normal log density. */
    static double normLogPdf(double x) {
        return -x * x / 2 - LOG_SQRT_2PI;
    }

    /**
     * log of the standard normal mass in [a, b], worked in the left tail (mirrored when the interval is right of 0)
     * where the CDF keeps its digits (Optuna's {@code _log_gauss_mass}).
     */
    static double logGaussMass(double a, double b) {
        if (b <= 0) {
            return logDiff(logNdtr(b), logNdtr(a));
        }
        if (a > 0) {
            return logDiff(logNdtr(-a), logNdtr(-b));
        }
        // Straddling 0: 1 - Phi(a) - Phi(-b) avoids cancellation as the mass nears 1.
        return Math.log1p(-ndtr(a) - ndtr(-b));
    }

    /**
     * The x with log Phi(x) = y, by Newton's method from Optuna's starting guesses ({@code _ndtri_exp}); near
     * y = 0 it solves the mirrored problem, where Phi(-x) = 1 - exp(y) keeps its digits.
     */
    static double ndtriExp(double y) {
        if (y >= 0) {
            return Double.POSITIVE_INFINITY; // Phi(x) rounds to 1: the caller clips to its interval
        }
        if (y == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        boolean flipped = y > -1e-2;
        double z = flipped ? Math.log(-Math.expm1(y)) : y;
        double x = z < -5 ? -Math.sqrt(-2 * (z + LOG_SQRT_2PI))
                : -Math.sqrt(3) / Math.PI * Math.log(Math.expm1(-z));
        for (int i = 0; i < 100; i++) {
            double logNdtrX = logNdtr(x);
            double logPdfX = -0.5 * x * x - LOG_SQRT_2PI;
            double dx = (logNdtrX - z) * Math.exp(logNdtrX - logPdfX);
            x -= dx;
            if (Math.abs(dx) < 1e-8 * Math.abs(x)) {
                break;
            }
        }
        return flipped ? -x : x;
    }

    /**
     * The quantile {@code q} of the standard normal truncated to [a, b] (Optuna's {@code ppf}): solved in the left
     * tail, mirrored for intervals right of 0.
     */
    static double ppf(double q, double a, double b) {
        if (q == 0) {
            return a;
        }
        if (q == 1) {
            return b;
        }
        double logMass = logGaussMass(a, b);
        double x;
        if (a < 0) {
            x = ndtriExp(logSum(logNdtr(a), Math.log(q) + logMass));
        } else {
            x = -ndtriExp(logSum(logNdtr(-b), Math.log1p(-q) + logMass));
        }
        // Newton stops at a relative 1e-8: keep the draw inside the interval all the same.
        return Math.min(b, Math.max(a, x));
    }

    /** A draw from the normal(mu, sigma) truncated to [low, high], by inverting its CDF at a uniform quantile. */
    static double sample(Random rng, double mu, double sigma, double low, double high) {
        double x = ppf(rng.nextDouble(), (low - mu) / sigma, (high - mu) / sigma) * sigma + mu;
        return Math.min(high, Math.max(low, x));
    }

    /** The log density at x of the normal(mu, sigma) truncated to [low, high]; -infinity outside. */
    static double logPdf(double x, double mu, double sigma, double low, double high) {
        if (x < low || x > high) {
            return Double.NEGATIVE_INFINITY;
        }
        return normLogPdf((x - mu) / sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma)
                - Math.log(sigma);
    }
}
