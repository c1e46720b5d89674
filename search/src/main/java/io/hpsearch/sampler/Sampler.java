package io.hpsearch.sampler;

import io.hpsearch.trial.TrialParams;

import java.util.Optional;

/** Proposes the next trial of a run. Implementations are not thread-safe: one coordinator asks. */
public interface Sampler {

    /** The next network to train, never one already proposed; empty once the space has no new network. */
    Optional<TrialParams> next();
}
