package io.hpsearch.sampler;

import io.hpsearch.space.Param;
import io.hpsearch.space.ParamType;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tpe: {multivariate: true}}: the groups, the joint density, and what joint modelling buys. */
class MultivariateTpeTest {

    @Test
    void theGroupsAreWhatEveryNetworkHasThenEachOptionalLayer() {
        SpaceSpec mlp = SpaceParser.parse("""
                name: g
                search: tpe
                model:
                  type: mlp
                  input_dropout: {min: 0.0, max: 0.3, step: 0.1}
                  hidden_layers: {min: 2, max: 4}
                  units: {choice: [512, 256]}
                  dropout: 0.1
                  learning_rate: {choice: [0.01, 0.001]}
                """, "g.yaml");
        List<List<String>> groups = TpeSampler.groups(mlp.model());
        // Two layers are in every network: their parameters join the first group; layers 3 and 4 are optional.
        assertEquals(List.of("units_3", "dropout_3"), groups.get(1));
        assertEquals(List.of("units_4", "dropout_4"), groups.get(2));
        assertEquals(3, groups.size());
        assertTrue(groups.get(0).containsAll(List.of("input_dropout", "hidden_layers", "learning_rate", "units_1",
                "dropout_1", "units_2", "dropout_2")), groups.get(0).toString());
    }

    @Test
    void theJointDensityIsAProductPerKernelAndSumsToOne() {
        TpeDomain a = TpeDomain.of(new Param.Choice(List.of("x", "y", "z")));
        TpeDomain b = TpeDomain.of(new Param.Range(ParamType.INTEGER, 1, 4, null, false));
        double[][] observations = {{0, 1}, {2, 4}, {2, 3}};
        MultivariateParzenEstimator e = MultivariateParzenEstimator.of(List.of(a, b), observations, 1.0);
        double total = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 1; j <= 4; j++) {
                total += Math.exp(e.logPdf(new double[]{i, j}));
            }
        }
        assertEquals(1.0, total, 1e-12);
        // Scott's rule for 2 parameters and 3 observations: 0.2 * 3^(-1/6) * 4 = 0.666 on [0.5, 4.5], under the
        // magic clip's floor 4 / min(100, 5) = 0.8, so 0.8; the univariate widths would differ per observation.
        assertEquals(0.8, ((ParzenEstimator.Numerical) e.dimensions().get(1)).sigmas()[0], 1e-12);
        // Kernel k pairs trial k's values: (z, 4) is far likelier than (x, 4), though x and z were both observed.
        assertTrue(e.logPdf(new double[]{2, 4}) > e.logPdf(new double[]{0, 4}) + 0.5);
        // Draws stay in the domains.
        Random rng = new Random(1);
        for (int n = 0; n < 1000; n++) {
            double[] x = e.sample(rng);
            assertTrue(x[0] >= 0 && x[0] <= 2 && x[1] >= 1 && x[1] <= 4, x[0] + ", " + x[1]);
        }
    }

    /**
     * Two parameters that are good only together (equal units in both layers, of whichever size): the good trials
     * have each size in equal measure, so their marginals say nothing and univariate TPE pairs the sizes at random;
     * multivariate TPE keeps each good trial's pair.
     */
    @Test
    void jointModellingKeepsTheGoodPairsThatUnivariateModellingMixes() {
        double univariate = matchedShare(false);
        double multivariate = matchedShare(true);
        System.out.printf("equal layers among TPE's proposals: univariate %.2f, multivariate %.2f%n", univariate,
                multivariate);
        assertTrue(multivariate > univariate + 0.2,
                "equal layers proposed: multivariate " + multivariate + ", univariate " + univariate);
        assertTrue(univariate < 0.5, "univariate pairs the marginals independently: " + univariate);
    }

    /**
     * The share of matched proposals TPE makes from one history of 40 random networks (equal units score 0.9,
     * others 0.5, a little noise apart): 200 proposals, one per seed. Dropout, which does not matter, makes the space
     * large (625 networks).
     */
    private static double matchedShare(boolean multivariate) {
        String yaml = """
                name: pairs
                search: tpe
                seed: %d
                tpe: {multivariate: %s}
                model:
                  type: mlp
                  hidden_layers: 2
                  units: {choice: [512, 256, 128, 64, 32]}
                  dropout: {min: 0.0, max: 0.4, step: 0.1}
                  learning_rate: 0.001
                """;
        RandomSampler random = new RandomSampler(SpaceParser.parse(yaml.formatted(7, false), "pairs.yaml"));
        List<TrialRecord> history = new ArrayList<>();
        Random noise = new Random(7);
        for (int i = 1; i <= 40; i++) {
            TrialParams p = random.next(history).orElseThrow();
            double score = (matched(p) ? 0.9 : 0.5) + 0.01 * noise.nextDouble();
            history.add(new TrialRecord(i, p, TrialState.COMPLETED, score, new double[]{score}));
        }
        int matched = 0;
        for (long seed = 1; seed <= 200; seed++) {
            SpaceSpec spec = SpaceParser.parse(yaml.formatted(seed, multivariate), "pairs.yaml");
            matched += matched(new TpeSampler(spec).next(history).orElseThrow()) ? 1 : 0;
        }
        return matched / 200.0;
    }

    private static boolean matched(TrialParams p) {
        return p.integer("units_1", 0) == p.integer("units_2", 0);
    }
}
