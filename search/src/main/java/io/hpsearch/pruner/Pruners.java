package io.hpsearch.pruner;

import io.hpsearch.space.PrunerSpec;
import io.hpsearch.store.Objective;

/** The pruner a space's {@code pruner:} names. */
public final class Pruners {
    private Pruners() {
    }

    /** @param objective what the trials' values are, and which way is better */
    public static Pruner of(PrunerSpec spec, Objective objective) {
        if (spec instanceof PrunerSpec.None) {
            return Pruner.NONE;
        }
        throw new UnsupportedOperationException(spec.type() + " pruning is not written yet");
    }
}
