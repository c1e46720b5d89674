package io.hpsearch.sampler;

import io.hpsearch.space.SpaceSpec;

import java.util.Set;

/** Picks the sampler a space asks for. */
public final class Samplers {
    private Samplers() {
    }

    /**
     * @param alreadyRun keys ({@link io.hpsearch.trial.TrialParams#key()}) of networks this run already trained,
     *                   which the sampler must not propose again
     */
    public static Sampler forSpace(SpaceSpec spec, Set<String> alreadyRun) {
        return switch (spec.search()) {
            case RANDOM -> new RandomSampler(spec, alreadyRun);
            case GRID -> new GridSampler(spec, alreadyRun);
        };
    }
}
