package io.hpsearch.sampler;

import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSize;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplersTest {

    private static final String SMALL = """
            name: small
            search: %s
            seed: %d
            model:
              type: mlp
              input_dropout: {choice: [0.0, 0.2]}
              hidden_layers: {min: 1, max: 3}
              units: {choice: [64, 32]}
              dropout: {min: 0.0, max: 0.2, step: 0.2}
              learning_rate: {choice: [0.01, 0.001]}
            """;

    private static SpaceSpec small(String search, long seed) {
        return SpaceParser.parse(SMALL.formatted(search, seed), "small.yaml");
    }

    @Test
    void gridEnumeratesEveryDistinctNetworkOnceAndKnowsItsSize() {
        SpaceSpec spec = small("grid", 1);
        // 2 input dropouts x 2 learning rates x ((2x2) + (2x2)^2 + (2x2)^3) = 4 x 84
        assertEquals(336, SpaceSize.distinctNetworks(spec).intValueExact());
        GridSampler grid = new GridSampler(spec, Set.of());
        assertEquals(336, grid.size());
        List<TrialParams> all = grid.take(Integer.MAX_VALUE);
        assertEquals(336, all.size());
        assertEquals(336, all.stream().map(TrialParams::key).distinct().count());
        assertEquals(Set.of(1, 2, 3), new HashSet<>(all.stream().map(p -> p.integer("hidden_layers", 0)).toList()));
    }

    @Test
    void gridTakesDepthsInTurnSoACappedRunSeesEveryDepth() {
        List<TrialParams> first = new GridSampler(small("grid", 1), Set.of()).take(3);
        assertEquals(List.of(1, 2, 3), first.stream().map(p -> p.integer("hidden_layers", 0)).toList());
    }

    @Test
    void gridSkipsNetworksAlreadyRun() {
        SpaceSpec spec = small("grid", 1);
        List<TrialParams> all = new GridSampler(spec, Set.of()).take(Integer.MAX_VALUE);
        Set<String> done = Set.of(all.get(0).key(), all.get(5).key());
        assertEquals(334, new GridSampler(spec, done).take(Integer.MAX_VALUE).size());
    }

    @Test
    void randomNeverRepeatsAnEffectiveNetworkAndStopsWhenTheSpaceIsExhausted() {
        SpaceSpec spec = small("random", 7);
        List<TrialParams> all = Samplers.forSpace(spec, Set.of()).take(Integer.MAX_VALUE);
        assertEquals(336, all.size(), "every distinct network, then nothing");
        assertEquals(336, all.stream().map(TrialParams::key).distinct().count());
    }

    @Test
    void randomIsReproducibleFromTheSeed() {
        List<String> a = keys(Samplers.forSpace(small("random", 7), Set.of()), 10);
        List<String> b = keys(Samplers.forSpace(small("random", 7), Set.of()), 10);
        List<String> c = keys(Samplers.forSpace(small("random", 8), Set.of()), 10);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void referenceSpaceDrawsValuesPerLayerFromTheirSets() {
        SpaceSpec spec = SpaceParser.parse(Path.of("../spaces/fashion-mlp.yaml"));
        Sampler sampler = Samplers.forSpace(spec, Set.of());
        Set<Integer> depths = new HashSet<>();
        Set<Integer> unitsSeen = new HashSet<>();
        boolean layersDiffer = false;
        for (int i = 0; i < 200; i++) {
            TrialParams p = sampler.next().orElseThrow();
            int depth = p.integer("hidden_layers", 0);
            depths.add(depth);
            assertTrue(List.of(0.0, 0.1, 0.2, 0.3).contains(p.decimal("input_dropout", -1)), p.toString());
            assertTrue(List.of(0.01, 0.001).contains(p.decimal("learning_rate", -1)), p.toString());
            assertEquals("adam", p.text("optimizer", null));
            Set<Integer> units = new HashSet<>();
            for (int layer = 1; layer <= depth; layer++) {
                units.add(p.integer("units_" + layer, 0));
                assertTrue(List.of(0.0, 0.1, 0.2, 0.3, 0.4).contains(p.decimal("dropout_" + layer, -1)), p.toString());
            }
            assertEquals(depth * 2 + 4, p.asMap().size(), "only the layers that exist: " + p);
            unitsSeen.addAll(units);
            layersDiffer |= units.size() > 1;
        }
        assertEquals(Set.of(1, 2, 3, 4), depths);
        assertEquals(Set.of(512, 256, 128, 64, 32), unitsSeen);
        assertTrue(layersDiffer, "units are drawn per layer, not one value repeated");
    }

    @Test
    void randomSkipsNetworksAlreadyRun() {
        SpaceSpec spec = small("random", 7);
        List<String> first = keys(Samplers.forSpace(spec, Set.of()), 5);
        List<String> resumed = keys(Samplers.forSpace(spec, new HashSet<>(first)), 331);
        assertTrue(resumed.stream().noneMatch(first::contains));
    }

    private static List<String> keys(Sampler sampler, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(sampler.next().orElseThrow().key());
        }
        return keys;
    }
}
