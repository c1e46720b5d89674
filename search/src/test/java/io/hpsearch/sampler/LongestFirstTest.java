package io.hpsearch.sampler;

import io.hpsearch.data.InputShape;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trainer.NetworkCost;
import io.hpsearch.trial.TrialParams;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongestFirstTest {
    private static final SpaceSpec GRID = SpaceParser.parse("""
            name: grid
            search: grid
            model:
              type: mlp
              hidden_layers: {choice: [1, 2]}
              units: {choice: [512, 32, 128]}
              learning_rate: 0.001
            """, "grid.yaml");
    private static final ToLongFunction<TrialParams> COST = p -> NetworkCost.forwardMacs(p, InputShape.image(1, 28,
            28), 10);

    @Test
    void handsOutTheSameTrialsMostExpensiveFirst() {
        List<TrialParams> grid = Samplers.forSpace(GRID).take(Integer.MAX_VALUE);
        List<TrialParams> ordered = new LongestFirst(Samplers.forSpace(GRID), grid.size(), COST, List.of())
                .take(Integer.MAX_VALUE);

        assertEquals(3 + 9, ordered.size());
        assertEquals(new HashSet<>(grid), new HashSet<>(ordered));
        for (int i = 1; i < ordered.size(); i++) {
            assertTrue(COST.applyAsLong(ordered.get(i - 1)) >= COST.applyAsLong(ordered.get(i)),
                    "trial " + i + " costs more than the one before it: " + ordered);
        }
        assertEquals(List.of(512, 512), List.of(ordered.get(0).integer("units_1", 0),
                ordered.get(0).integer("units_2", 0)));
    }

    @Test
    void reordersOnlyThePlannedTrialsNotTheWholeGrid() {
        List<TrialParams> firstFive = Samplers.forSpace(GRID).take(5);
        List<TrialParams> ordered = new LongestFirst(Samplers.forSpace(GRID), 5, COST, List.of())
                .take(Integer.MAX_VALUE);
        assertEquals(new HashSet<>(firstFive), new HashSet<>(ordered));
    }
}
