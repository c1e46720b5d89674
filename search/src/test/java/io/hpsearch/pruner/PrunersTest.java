package io.hpsearch.pruner;

import io.hpsearch.space.PrunerSpec;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.Objective;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A space's {@code pruner:} builds the pruner it names, with its settings. */
class PrunersTest {
    @Test
    void buildsEachType() {
        assertSame(Pruner.NONE, Pruners.of(PrunerSpec.NONE, Objective.VAL_LOSS, 10));
        assertInstanceOf(PercentilePruner.class,
                Pruners.of(new PrunerSpec.Median(5, 0, 1, 1), Objective.VAL_LOSS, 10));
        SuccessiveHalvingPruner asha = assertInstanceOf(SuccessiveHalvingPruner.class,
                Pruners.of(new PrunerSpec.Asha(2, 3, 1, 0), Objective.VAL_ACCURACY, 10));
        assertEquals(List.of(6, 18), asha.rungEpochs(20));
    }

    @Test
    void hyperbandTakesItsMaxEpochsFromTheSpace() {
        SpaceSpec spec = SpaceParser.parse("""
                name: hb
                search: random
                max_trials: 10
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {choice: [16, 32]}
                  learning_rate: 0.001
                training:
                  epochs: 27
                pruner: {type: hyperband, min_epochs: 1, reduction_factor: 3}
                """, "hb.yaml");
        HyperbandPruner pruner = assertInstanceOf(HyperbandPruner.class, Pruners.of(spec));
        assertEquals(4, pruner.brackets());
        // run --epochs 9: max_resource 9, so the brackets are those of 1..9 epochs and no rung judges a last epoch
        HyperbandPruner nine = assertInstanceOf(HyperbandPruner.class,
                Pruners.of(spec.withTraining(spec.training().withEpochs(9))));
        assertEquals(3, nine.brackets());
    }
}
