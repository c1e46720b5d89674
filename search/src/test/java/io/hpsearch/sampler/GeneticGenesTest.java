package io.hpsearch.sampler;

import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trial parameters back to genes: the inverse of Arbiter's mapping, which a resumed genetic search relies on. */
class GeneticGenesTest {

    /** One key of each leaf kind. */
    private static final String EVERY_KIND = """
            name: genes
            search: genetic
            seed: 3
            model:
              type: mlp
              input_dropout: {choice: [0.0, 0.2, 0.4]}           # discrete choice
              hidden_layers: {min: 1, max: 3}                     # integer range
              units: {min: 16, max: 64, step: 16}                 # integer range with a step
              dropout: {min: 0.0, max: 0.5}                       # continuous
              activation: {choice: [relu, tanh]}                  # discrete choice of words
              optimizer: adam                                     # fixed
              learning_rate: {min: 0.0001, max: 0.1, log: true}  # log-continuous
            """;

    private static final List<String> DISCRETE = List.of("input_dropout", "hidden_layers", "units_1", "units_2",
            "units_3", "activation");
    private static final List<String> CONTINUOUS = List.of("dropout_1", "dropout_2", "dropout_3", "learning_rate");

    private static ArbiterSpace.ModelParameterSpace space() {
        SpaceSpec spec = SpaceParser.parse(EVERY_KIND, "genes.yaml");
        return ArbiterSpace.of(spec.model());
    }

    @Test
    void genesToParamsToGenesRoundTripsForEveryLeafKind() {
        ArbiterSpace.ModelParameterSpace space = space();
        assertFalse(space.gene("optimizer").isPresent(), "a fixed value has no gene");
        assertEquals(DISCRETE.size() + CONTINUOUS.size(), space.numParameters());
        Random random = new Random(11);
        for (int n = 0; n < 500; n++) {
            double[] genes = new double[space.numParameters()];
            for (int i = 0; i < genes.length; i++) {
                genes[i] = random.nextDouble();
            }
            TrialParams params = space.getValue(genes);
            assertEquals("adam", params.text("optimizer", null));
            double[] back = space.genes(params);
            int depth = params.integer("hidden_layers", 0);
            for (String key : DISCRETE) {
                int gene = space.gene(key).orElseThrow();
                if (!params.asMap().containsKey(key)) {
                    assertEquals(ArbiterSpace.NEUTRAL_GENE, back[gene], key + " of a layer that does not exist");
                    continue;
                }
                // The same value's bin, at its centre: n values own [i/n, (i+1)/n).
                int values = key.startsWith("units") ? 4 : key.equals("activation") ? 2 : 3;
                assertEquals((int) (genes[gene] * values), (int) (back[gene] * values), key);
                assertEquals(((int) (genes[gene] * values) + 0.5) / values, back[gene], 1e-12, key);
            }
            for (String key : CONTINUOUS) {
                int gene = space.gene(key).orElseThrow();
                boolean exists = !key.startsWith("dropout_") || Integer.parseInt(key.substring(8)) <= depth;
                assertEquals(exists ? genes[gene] : ArbiterSpace.NEUTRAL_GENE, back[gene], 1e-9, key);
            }
            // And the genes give the same network again, and are a fixed point from there.
            TrialParams again = space.getValue(back);
            assertSameNetwork(params, again);
            assertArrayEquals(back, space.genes(again), 1e-12);
        }
    }

    @Test
    void canonicalGenesRoundTripExactlyForDiscreteSpaces() {
        ArbiterSpace.ModelParameterSpace space = space();
        TrialParams params = space.getValue(new double[space.numParameters()]);
        double[] genes = space.genes(params);
        assertEquals(params.key(), space.getValue(genes).key());
        assertArrayEquals(genes, space.genes(space.getValue(genes)));
    }

    @Test
    void genesAgreeWithTheIndicesArbitersGeneratorsAssign() {
        ArbiterSpace.ModelParameterSpace space = space();
        double[] genes = new Random(5).doubles(space.numParameters()).toArray();
        TrialParams before = space.getValue(genes);
        double[] inverseBefore = space.genes(before);
        // Arbiter numbers the leaves again when a generator is built on the space; it must number them alike.
        new RandomSearchGenerator(space, null);
        assertEquals(before.key(), space.getValue(genes).key());
        assertArrayEquals(inverseBefore, space.genes(before));
    }

    @Test
    void valuesReadBackFromTheStoreWithOtherBoxedTypesGiveTheSameGenes() {
        ArbiterSpace.ModelParameterSpace space = space();
        TrialParams params = space.getValue(new Random(9).doubles(space.numParameters()).toArray());
        Map<String, Object> stored = new LinkedHashMap<>();
        params.asMap().forEach((k, v) -> stored.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
        assertArrayEquals(space.genes(params), space.genes(TrialParams.fromMap(stored)));
    }

    private static void assertSameNetwork(TrialParams expected, TrialParams actual) {
        assertEquals(expected.asMap().keySet(), actual.asMap().keySet());
        expected.asMap().forEach((key, value) -> {
            Object other = actual.asMap().get(key);
            if (value instanceof Double d) {
                assertEquals(d, (Double) other, Math.abs(d) * 1e-9, key);
            } else {
                assertEquals(value, other, key);
            }
        });
        assertTrue(expected.asMap().containsKey("learning_rate"));
    }
}
