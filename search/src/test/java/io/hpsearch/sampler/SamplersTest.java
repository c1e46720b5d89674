package io.hpsearch.sampler;

import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSize;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
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
        GridSampler grid = new GridSampler(spec);
        assertEquals(336, grid.size());
        List<TrialParams> all = grid.take(Integer.MAX_VALUE);
        assertEquals(336, all.size());
        assertEquals(336, all.stream().map(TrialParams::key).distinct().count());
        assertEquals(Set.of(1, 2, 3), new HashSet<>(all.stream().map(p -> p.integer("hidden_layers", 0)).toList()));
    }

    @Test
    void gridTakesDepthsInTurnSoACappedRunSeesEveryDepth() {
        List<TrialParams> first = new GridSampler(small("grid", 1)).take(3);
        assertEquals(List.of(1, 2, 3), first.stream().map(p -> p.integer("hidden_layers", 0)).toList());
    }

    @Test
    void gridSkipsNetworksAlreadyRun() {
        SpaceSpec spec = small("grid", 1);
        List<TrialParams> all = new GridSampler(spec).take(Integer.MAX_VALUE);
        List<TrialRecord> done = records(List.of(all.get(0), all.get(5)));
        assertEquals(334, new GridSampler(spec).take(Integer.MAX_VALUE, done).size());
    }

    @Test
    void randomNeverRepeatsAnEffectiveNetworkAndStopsWhenTheSpaceIsExhausted() {
        SpaceSpec spec = small("random", 7);
        List<TrialParams> all = Samplers.forSpace(spec).take(Integer.MAX_VALUE);
        assertEquals(336, all.size(), "every distinct network, then nothing");
        assertEquals(336, all.stream().map(TrialParams::key).distinct().count());
    }

    @Test
    void randomIsReproducibleFromTheSeed() {
        List<String> a = keys(Samplers.forSpace(small("random", 7)), 10);
        List<String> b = keys(Samplers.forSpace(small("random", 7)), 10);
        List<String> c = keys(Samplers.forSpace(small("random", 8)), 10);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void referenceSpaceDrawsValuesPerLayerFromTheirSets() {
        SpaceSpec spec = SpaceParser.parse(Path.of("../spaces/fashion-mlp.yaml"));
        Sampler sampler = Samplers.forSpace(spec);
        Set<Integer> depths = new HashSet<>();
        Set<Integer> unitsSeen = new HashSet<>();
        boolean layersDiffer = false;
        for (int i = 0; i < 200; i++) {
            TrialParams p = sampler.next(List.of()).orElseThrow();
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
        List<TrialParams> first = Samplers.forSpace(spec).take(5);
        List<TrialParams> resumed = Samplers.forSpace(spec).take(331, records(first));
        assertEquals(331, resumed.size());
        assertTrue(resumed.stream().noneMatch(first::contains));
        assertTrue(Samplers.forSpace(spec).take(1, records(Samplers.forSpace(spec).take(336))).isEmpty(),
                "a space whose every network the run has: nothing more, at once");
    }

    /** The run's trials as the store would give them: these networks, completed. */
    static List<TrialRecord> records(List<TrialParams> params) {
        List<TrialRecord> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            out.add(new TrialRecord(i + 1, params.get(i), TrialState.COMPLETED, 0.5, new double[]{0.5}));
        }
        return out;
    }

    private static List<String> keys(Sampler sampler, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(sampler.next(List.of()).orElseThrow().key());
        }
        return keys;
    }
}
