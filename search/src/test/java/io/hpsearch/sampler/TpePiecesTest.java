package io.hpsearch.sampler;

import io.hpsearch.space.ModelType;
import io.hpsearch.space.Param;
import io.hpsearch.space.ParamType;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pieces of TPE against values worked out by hand or with SciPy (scipy.special / scipy.stats.truncnorm 1.17),
 * the library Optuna's own truncated normal is taken from.
 */
class TpePiecesTest {

    private static void assertRelative(double expected, double actual, double tolerance) {
        assertEquals(expected, actual, Math.abs(expected) * tolerance, "expected " + expected + ", got " + actual);
    }

    @Test
    void erfcMatchesScipyFromTheCentreToTheFarTail() {
        double[][] cases = {{0.0, 1.0}, {0.3, 0.6713732405408726}, {1.0, 0.15729920705028516},
                {1.9, 0.007209570764742531}, {2.0, 0.004677734981047266}, {2.5, 0.00040695201744495886},
                {3.0, 2.2090496998585445e-05}, {5.0, 1.5374597944280347e-12}, {10.0, 2.0884875837625446e-45},
                {-1.5, 1.9661051464753108}};
        for (double[] c : cases) {
            assertRelative(c[1], TruncatedNormal.erfc(c[0]), 1e-12);
        }
    }

    @Test
    void logNdtrMatchesScipyInBothTails() {
        double[][] cases = {{-40, -804.6084420137539}, {-25, -316.63940800802027}, {-10, -53.23128515051248},
                {-3, -6.60772622151035}, {0, -0.6931471805599453}, {2, -0.023012909328963476},
                {7, -1.2798125438866539e-12}};
        for (double[] c : cases) {
            assertRelative(c[1], TruncatedNormal.logNdtr(c[0]), 1e-10);
        }
        assertEquals(-1.9599639845400545, TruncatedNormal.ndtriExp(Math.log(0.025)), 1e-7);
        assertEquals(-9.674825283612355, TruncatedNormal.ndtriExp(-50.0), 1e-7);
        // Quantiles (scipy.stats.truncnorm.ppf), extreme and mirrored (an interval right of 0).
        assertEquals(8.209536151601387, TruncatedNormal.ppf(Math.nextDown(1.0), -1, 60), 1e-6);
        assertEquals(2.136236723579322, TruncatedNormal.ppf(0.3, 2, 3), 1e-7);
        assertEquals(Double.POSITIVE_INFINITY, TruncatedNormal.ndtriExp(0.0));
        assertEquals(-0.20016629432446262, TruncatedNormal.logGaussMass(-2, 1), 1e-12);
        assertRelative(-439.42947495001874, TruncatedNormal.logGaussMass(-30, -29.5), 1e-10);
    }

    @Test
    void truncatedNormalLogPdfMatchesScipy() {
        // truncnorm.logpdf(0.3, (0 - 0.5) / 0.2, (1 - 0.5) / 0.2, loc=0.5, scale=0.2)
        assertEquals(0.20299647429333256, TruncatedNormal.logPdf(0.3, 0.5, 0.2, 0, 1), 1e-12);
        // Far in the tail, where a naive pdf / (cdf(b) - cdf(a)) would be log(0).
        assertRelative(-125.90019335032171, TruncatedNormal.logPdf(0.9, 0.1, 0.05, 0, 1), 1e-10);
        assertEquals(Double.NEGATIVE_INFINITY, TruncatedNormal.logPdf(1.1, 0.5, 0.2, 0, 1));
    }

    @Test
    void truncatedNormalDrawsStayInBoundsWithTheTruncatedMean() {
        Random rng = new Random(1);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double x = TruncatedNormal.sample(rng, 0.9, 0.3, 0, 1);
            assertTrue(x >= 0 && x <= 1, "in bounds: " + x);
            sum += x;
        }
        // scipy.stats.truncnorm.mean((0 - 0.9) / 0.3, (1 - 0.9) / 0.3, loc=0.9, scale=0.3)
        assertEquals(0.7221807759532407, sum / n, 0.002);
        // A kernel whose whole interval lies 50 sigmas into its tail still draws inside it, at the near end.
        double tail = 0;
        for (int i = 0; i < 20_000; i++) {
            double x = TruncatedNormal.sample(rng, -50, 1, 0, 1);
            assertTrue(x >= 0 && x <= 1, "in bounds: " + x);
            tail += x;
        }
        // scipy.stats.truncnorm.mean(50, 51, loc=-50, scale=1)
        assertEquals(0.019984031902176014, tail / 20_000, 0.0005);
    }

    @Test
    void gammaIsOptunasDefault() {
        // min(ceil(0.1 n), 25), computed by Python's math.ceil(0.1 * n) for the same n.
        assertEquals(0, TpeSplit.gamma(0));
        assertEquals(1, TpeSplit.gamma(1));
        assertEquals(1, TpeSplit.gamma(10));
        assertEquals(2, TpeSplit.gamma(11));
        assertEquals(3, TpeSplit.gamma(30));
        assertEquals(4, TpeSplit.gamma(31));
        assertEquals(25, TpeSplit.gamma(250));
        assertEquals(25, TpeSplit.gamma(10_000));
    }

    @Test
    void defaultWeightsAreFlatThenRampForOldTrials() {
        assertEquals(0, ParzenEstimator.defaultWeights(0).length);
        assertArrayEquals(new double[]{1, 1, 1}, ParzenEstimator.defaultWeights(3));
        double[] w25 = ParzenEstimator.defaultWeights(25);
        assertEquals(25, w25.length);
        assertTrue(java.util.Arrays.stream(w25).allMatch(v -> v == 1));
        // numpy.linspace(1/30, 1, 5), then 25 ones.
        double[] w30 = ParzenEstimator.defaultWeights(30);
        assertArrayEquals(new double[]{1 / 30.0, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0},
                java.util.Arrays.copyOf(w30, 5), 1e-12);
        assertTrue(java.util.Arrays.stream(w30).skip(5).allMatch(v -> v == 1));
        // The prior weighs like one more observation.
        assertArrayEquals(new double[]{0.25, 0.25, 0.25, 0.25}, ParzenEstimator.mixtureWeights(3, 1.0), 1e-15);
    }

    @Test
    void categoricalKernelIsOptunas() {
        TpeDomain domain = new TpeDomain.Categorical(List.of("a", "b", "c"));
        ParzenEstimator e = ParzenEstimator.of(domain, new double[]{0, 0, 2}, 1.0);
        // Kernels put 1/4 on each choice, +1 on their observation, normalised; the prior kernel is uniform:
        // P(a) = 1/4 (2 * 1.25/1.75 + 0.25/1.75 + 1/3), and so on.
        assertEquals(0.25 * (2.5 / 1.75 + 0.25 / 1.75 + 1 / 3.0), Math.exp(e.logPdf(0)), 1e-12);
        assertEquals(0.25 * (0.75 / 1.75 + 1 / 3.0), Math.exp(e.logPdf(1)), 1e-12);
        assertEquals(0.25 * (1.75 / 1.75 + 1 / 3.0), Math.exp(e.logPdf(2)), 1e-12);
        int[] counts = new int[3];
        Random rng = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            counts[(int) e.sample(rng)]++;
        }
        assertEquals(Math.exp(e.logPdf(0)), counts[0] / 100_000.0, 0.01);
        assertEquals(Math.exp(e.logPdf(1)), counts[1] / 100_000.0, 0.01);
        // No observations: the prior alone, uniform.
        assertEquals(Math.log(1 / 3.0), ParzenEstimator.of(domain, new double[0], 1.0).logPdf(1), 1e-12);
    }

    @Test
    void numericalKernelsHaveOptunasBandwidthsAndDensity() {
        TpeDomain.Numeric unit = new TpeDomain.Numeric(0, 1, 0, false, null);
        // Sorted with the ends and the prior's centre (.5, after the equal observation): 0 | .2 .5 (.5) .9 | 1;
        // widths are the larger gap to a neighbour, the extreme kernels' the gap to their inner neighbour:
        // .3 .3 .4; the magic clip's floor 1/min(100, 5) = .2 changes none.
        assertArrayEquals(new double[]{0.3, 0.3, 0.4},
                ParzenEstimator.Numerical.sigmas(new double[]{0.2, 0.5, 0.9}, 0, 1), 1e-12);
        // Two observations: the prior's centre between them halves their widths (.7 each without it).
        assertArrayEquals(new double[]{0.3, 0.4},
                ParzenEstimator.Numerical.sigmas(new double[]{0.2, 0.9}, 0, 1), 1e-12);
        ParzenEstimator e = ParzenEstimator.of(unit, new double[]{0.2, 0.5, 0.9}, 1.0);
        // logsumexp of log(1/4) + truncnorm.logpdf over the kernels (.2,.3) (.5,.3) (.9,.4) and the prior (.5, 1).
        assertEquals(0.10484945766825005, e.logPdf(0.3), 1e-12);
        assertEquals(-0.2279159025958747, e.logPdf(0.95), 1e-12);
    }

    @Test
    void stepParametersAreModelledOnTheWidenedRangeAndDrawnOnTheGrid() {
        TpeDomain domain = TpeDomain.of(new Param.Range(ParamType.INTEGER, 1, 4, null, false));
        // Observed 2, 2, 3 on [0.5, 4.5], the prior's centre 2.5 among them: widths 0, .5, .5, all clipped to
        // 4/min(100, 5) = .8; the prior (2.5, 4). Probabilities of the grid points are the kernels' masses over
        // [x - 1/2, x + 1/2] (computed with scipy.special.ndtr).
        ParzenEstimator e = ParzenEstimator.of(domain, new double[]{2, 2, 3}, 1.0);
        double[] expected = {0.18977157663548772, 0.36681392331216106, 0.30682727411865784, 0.13658722593369335};
        for (int x = 1; x <= 4; x++) {
            assertEquals(expected[x - 1], Math.exp(e.logPdf(x)), 1e-12);
        }
        Random rng = new Random(5);
        for (int i = 0; i < 2000; i++) {
            double x = e.sample(rng);
            assertTrue(x == 1 || x == 2 || x == 3 || x == 4, "on the grid: " + x);
        }
        // A decimal step range gives the space's own values (0.3, not 0.30000000000000004).
        TpeDomain dropout = TpeDomain.of(new Param.Range(ParamType.DECIMAL, 0.0, 0.4, 0.1, false));
        ParzenEstimator d = ParzenEstimator.of(dropout, new double[]{0.3, 0.30000000000000004, 0.1}, 1.0);
        for (int i = 0; i < 2000; i++) {
            Object v = dropout.external(d.sample(rng));
            assertTrue(List.of(0.0, 0.1, 0.2, 0.3, 0.4).contains(v), "a value of the space: " + v);
        }
    }

    @Test
    void logRangesAreLogUniformBeforeStartupAndModelledInLogSpace() {
        TpeDomain.Numeric lr = (TpeDomain.Numeric) TpeDomain.of(new Param.Range(ParamType.DECIMAL, 1e-5, 1e-1, null,
                true));
        Random rng = new Random(11);
        int[] decades = new int[4];
        for (int i = 0; i < 40_000; i++) {
            double x = lr.samplePrior(rng);
            assertTrue(x >= 1e-5 && x <= 1e-1, "in range: " + x);
            decades[(int) Math.floor(Math.log10(x) + 5)]++;
        }
        for (int count : decades) {
            assertEquals(10_000, count, 400, "log-uniform: each decade a quarter of the draws");
        }
        // Kernels sit at log(observation): draws around 1e-3 concentrate there in log terms.
        ParzenEstimator e = ParzenEstimator.of(lr, new double[]{1e-3, 1.1e-3, 0.9e-3, 1.05e-3}, 1.0);
        int near = 0;
        for (int i = 0; i < 10_000; i++) {
            double x = e.sample(rng);
            assertTrue(x >= 1e-5 && x <= 1e-1, "in range: " + x);
            near += x > 1e-4 && x < 1e-2 ? 1 : 0;
        }
        assertTrue(near > 7_000, "most draws within a decade of the observations: " + near);
        assertTrue(e.logPdf(1e-3) > e.logPdf(1e-2));
    }

    @Test
    void splitRanksCompletedThenPrunedByDepthAndValueAndRunningAbove() {
        List<TrialRecord> trials = List.of(
                record(1, TrialState.COMPLETED, 0.80, new double[]{0.7, 0.8}),
                record(2, TrialState.PRUNED, 0.60, new double[]{0.6}),
                record(3, TrialState.COMPLETED, 0.85, new double[]{0.8, 0.85}),
                record(4, TrialState.PRUNED, 0.55, new double[]{0.5, 0.55}),
                record(5, TrialState.RUNNING, null, new double[]{0.99}),
                record(6, TrialState.FAILED, null, new double[0]),
                record(7, TrialState.PRUNED, 0.9, new double[]{0.9}));
        for (int i = 8; i <= 15; i++) {
            trials = new java.util.ArrayList<>(trials);
            trials.add(record(i, TrialState.PRUNED, null, new double[0]));
        }
        // 13 finished (the failed one left out): gamma(13) = 2 good trials, both completed.
        TpeSplit split = TpeSplit.of(trials, true, TrialRecord::epochs);
        assertEquals(List.of(1, 3), split.below().stream().map(TrialRecord::number).toList());
        assertTrue(split.above().stream().anyMatch(t -> t.number() == 5), "running trials are bad results");
        assertTrue(split.above().stream().noneMatch(t -> t.number() == 6));
        // Pruned: the one that got further first, then by value: 4 (2 epochs), 7 (0.9), 2 (0.6), then no value.
        List<TrialRecord> pruned = new java.util.ArrayList<>(trials.stream()
                .filter(t -> t.state() == TrialState.PRUNED).toList());
        pruned.sort(TpeSplit.prunedOrder(true, TrialRecord::epochs));
        assertEquals(List.of(4, 7, 2, 8), pruned.stream().limit(4).map(TrialRecord::number).toList());
        pruned.sort(TpeSplit.prunedOrder(false, TrialRecord::epochs));
        assertEquals(List.of(4, 2, 7, 8), pruned.stream().limit(4).map(TrialRecord::number).toList());
        // With few completed trials, the best pruned ones fill the good set.
        TpeSplit fewComplete = TpeSplit.of(trials.stream().filter(t -> t.number() != 3).toList(), true,
                TrialRecord::epochs);
        assertEquals(List.of(1, 4), fewComplete.below().stream().map(TrialRecord::number).toList());
    }

    @Test
    void prunedTrialsRankByThePrunersProgressBeforeTheirValue() {
        // Trial 1 trained more epochs, trial 2 got further on the pruner's scale (rungs in minutes, say).
        List<TrialRecord> pruned = new java.util.ArrayList<>(List.of(
                record(1, TrialState.PRUNED, 0.9, new double[]{0.5, 0.6, 0.7, 0.8, 0.9}),
                record(2, TrialState.PRUNED, 0.6, new double[]{0.5, 0.6})));
        java.util.function.ToIntFunction<TrialRecord> rungs = t -> t.number() == 2 ? 2 : 1;
        pruned.sort(TpeSplit.prunedOrder(true, rungs));
        assertEquals(List.of(2, 1), pruned.stream().map(TrialRecord::number).toList());
        pruned.sort(TpeSplit.prunedOrder(true, TrialRecord::epochs));
        assertEquals(List.of(1, 2), pruned.stream().map(TrialRecord::number).toList());
        // The same progress: the better last value first.
        pruned.sort(TpeSplit.prunedOrder(true, t -> 1));
        assertEquals(List.of(1, 2), pruned.stream().map(TrialRecord::number).toList());
        assertEquals(List.of(2), TpeSplit.of(pruned, true, rungs).below().stream().map(TrialRecord::number).toList());
    }

    private static TrialRecord record(int number, TrialState state, Double score, double[] values) {
        return new TrialRecord(number, new TrialParams(ModelType.MLP, Map.of("x", number)), state, score, values);
    }
}
