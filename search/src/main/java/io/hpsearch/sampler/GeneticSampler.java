package io.hpsearch.sampler;

import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;

import java.util.List;
import java.util.Optional;

/** Arbiter's genetic search. (Stub: being written.) */
final class GeneticSampler implements Sampler {
    GeneticSampler(SpaceSpec spec) {
    }

    @Override
    public Optional<TrialParams> next(List<TrialRecord> trials) {
        throw new UnsupportedOperationException("search: genetic is not written yet");
    }
}
