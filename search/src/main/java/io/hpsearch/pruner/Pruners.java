package io.hpsearch.pruner;

import io.hpsearch.space.PrunerSpec;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.Objective;

/** The pruner a space's {@code pruner:} names. */
public final class Pruners {
    private Pruners() {
    }

    /** The pruner of a space's run: its {@code pruner:}, its objective and (Hyperband's max_resource) its epochs. */
    public static Pruner of(SpaceSpec space) {
        return of(space.options().pruner(), space.objective(), space.training().epochs());
    }

    /**
     * @param objective what the trials' values are, and which way is better
     * @param epochs    the most epochs a trial trains: Hyperband's max_resource
     */
    public static Pruner of(PrunerSpec spec, Objective objective, int epochs) {
        // instanceof chains rather than a pattern-matching switch, which is a preview feature in Java 17.
        if (spec instanceof PrunerSpec.None) {
            return Pruner.NONE;
        }
        if (spec instanceof PrunerSpec.Median m) {
            return PercentilePruner.median(m.startupTrials(), m.warmupEpochs(), m.intervalEpochs(), m.minTrials(),
                    objective);
        }
        if (spec instanceof PrunerSpec.Asha a && a.byTime()) {
            return new TimedSuccessiveHalvingPruner(a.minMinutes() * 60, a.reductionFactor(),
                    a.minEarlyStoppingRate(), a.bootstrapCount(), objective);
        }
        if (spec instanceof PrunerSpec.Asha a) {
            return new SuccessiveHalvingPruner(a.minEpochs(), a.reductionFactor(), a.minEarlyStoppingRate(),
                    a.bootstrapCount(), objective);
        }
        if (spec instanceof PrunerSpec.Hyperband h) {
            return new HyperbandPruner(h.minEpochs(), epochs, h.reductionFactor(), h.bootstrapCount(),
                    objective);
        }
        throw new IllegalArgumentException("unknown pruner type " + spec.type());
    }
}
