package io.hpsearch.sampler;

import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;

import java.util.List;
import java.util.Optional;

/** Tree-structured Parzen Estimator. (Stub: being written.) */
final class TpeSampler implements Sampler {
    TpeSampler(SpaceSpec spec) {
    }

    @Override
    public Optional<TrialParams> next(List<TrialRecord> trials) {
        throw new UnsupportedOperationException("search: tpe is not written yet");
    }
}
