package io.hpsearch.importance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fANOVA on synthetic objectives whose answer is known. */
class FanovaTest {
    // A space like the reference one: a log range, per-layer choices, a stepped range, a text choice.
    private static final Map<String, Object> MODEL = Map.of(
            "hidden_layers", Map.of("min", 1, "max", 3),
            "units", Map.of("per_layer", List.of(Map.of("choice", List.of(512, 256, 128)),
                    Map.of("choice", List.of(64, 32)), Map.of("choice", List.of(64, 32)))),
            "dropout", Map.of("min", 0.0, "max", 0.4, "step", 0.1),
            "learning_rate", Map.of("min", 1e-5, "max", 1e-1, "log", true),
            "optimizer", Map.of("choice", List.of("adam", "sgd", "<b>nesterov</b>")),
            "activation", "relu");

    /** Trials drawn as a random search draws them; the score is {@code objective} of their parameters. */
    private static List<ParamImportances.Observation> trials(int n, long seed,
                                                             java.util.function.ToDoubleFunction<Map<String, Object>> objective) {
        Random random = new Random(seed);
        List<ParamImportances.Observation> out = new ArrayList<>();
        int[][] units = {{512, 256, 128}, {64, 32}, {64, 32}};
        String[] optimizers = {"adam", "sgd", "<b>nesterov</b>"};
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            int layers = 1 + random.nextInt(3);
            p.put("hidden_layers", layers);
            for (int l = 1; l <= layers; l++) {
                p.put("units_" + l, units[l - 1][random.nextInt(units[l - 1].length)]);
            }
            p.put("dropout", random.nextInt(5) / 10.0);
            p.put("learning_rate", Math.exp(Math.log(1e-5) + random.nextDouble() * (Math.log(1e-1) - Math.log(1e-5))));
            p.put("optimizer", optimizers[random.nextInt(3)]);
            p.put("activation", "relu");
            out.add(new ParamImportances.Observation(p, objective.applyAsDouble(p)));
        }
        return out;
    }

    private static double lr(Map<String, Object> p) {
        return (Double) p.get("learning_rate");
    }

    @Test
    void theOneParameterThatDecidesTheScoreRanksFirst() {
        // Accuracy peaks at a learning rate of 1e-3, in log space; nothing else matters.
        ParamImportances result = ParamImportances.of(MODEL, trials(200, 7,
                p -> 0.9 - 0.05 * Math.pow(Math.log10(lr(p)) + 3, 2)), 42);
        assertNull(result.reason());
        assertEquals("learning_rate", result.importances().get(0).param(), result.toString());
        assertTrue(result.importances().get(0).importance() > 0.9, result.toString());
        assertEquals(1.0, result.importances().stream().mapToDouble(Fanova.ParamImportance::importance).sum(), 1e-9);
        // Conditional per-layer parameters are left out, as Optuna does; the fixed activation is not measured.
        assertEquals(List.of("units_2", "units_3"), result.excluded());
        assertEquals(List.of("dropout", "hidden_layers", "learning_rate", "optimizer", "units_1"),
                result.importances().stream().map(Fanova.ParamImportance::param).sorted().toList());
    }

    @Test
    void aChoiceThatDecidesTheScoreRanksFirst() {
        ParamImportances result = ParamImportances.of(MODEL, trials(150, 11,
                p -> switch ((String) p.get("optimizer")) {
                    case "adam" -> 0.9;
                    case "sgd" -> 0.7;
                    default -> 0.8;
                }), 42);
        assertEquals("optimizer", result.importances().get(0).param(), result.toString());
        assertTrue(result.importances().get(0).importance() > 0.9, result.toString());
    }

    @Test
    void twoParametersInAKnownRatioRankInThatOrder() {
        // Additive and independent, so each parameter's share is its term's variance over the total: dropout's
        // term 5 * dropout takes 0, 0.5, .., 2 evenly (variance 0.5); log10(learning rate) / 2 is uniform over a
        // width of 2 (variance 1/3). Expected: dropout 0.6, learning_rate 0.4, the others nothing.
        ParamImportances result = ParamImportances.of(MODEL, trials(400, 3,
                p -> 5 * (Double) p.get("dropout") + Math.log10(lr(p)) / 2), 42);
        List<Fanova.ParamImportance> top = result.importances();
        assertEquals("dropout", top.get(0).param(), result.toString());
        assertEquals("learning_rate", top.get(1).param(), result.toString());
        assertEquals(0.6, top.get(0).importance(), 0.05, result.toString());
        assertEquals(0.4, top.get(1).importance(), 0.05, result.toString());
        assertTrue(top.get(2).importance() < 0.05, result.toString());
    }

    @Test
    void theSameTrialsAndSeedGiveTheSameImportances() {
        List<ParamImportances.Observation> trials = trials(60, 5, p -> Math.log10(lr(p)) + (Double) p.get("dropout"));
        assertEquals(ParamImportances.of(MODEL, trials, 1), ParamImportances.of(MODEL, trials, 1));
    }

    @Test
    void tooFewTrialsOrNoVariationGiveAReasonInsteadOfImportances() {
        ParamImportances one = ParamImportances.of(MODEL, trials(1, 1, p -> 0.5), 42);
        assertTrue(one.importances().isEmpty());
        assertTrue(one.reason().contains("at least 2 completed trials"), one.reason());
        ParamImportances flat = ParamImportances.of(MODEL, trials(30, 1, p -> 0.5), 42);
        assertTrue(flat.importances().isEmpty());
        assertTrue(flat.reason().contains("do not vary"), flat.reason());
    }

    @Test
    void logRangesAreMeasuredInLogSpaceAndPerLayerKeysTakeTheirLayersDefinition() {
        Domain lr = ParamImportances.domain(ParamImportances.definition(MODEL, "learning_rate"), List.of(1e-3));
        assertEquals(0.5, lr.encode(1e-3), 1e-9, "1e-3 is half-way between 1e-5 and 1e-1 in log space");
        Domain units2 = ParamImportances.domain(ParamImportances.definition(MODEL, "units_2"), List.of(64));
        assertEquals(new Domain.Categorical(List.of(64, 32)), units2);
        Domain layers = ParamImportances.domain(ParamImportances.definition(MODEL, "hidden_layers"), List.of(1));
        assertEquals(0.5, layers.encode(2), 1e-9, "1..3 as whole numbers: 2 is the middle one");
    }
}
