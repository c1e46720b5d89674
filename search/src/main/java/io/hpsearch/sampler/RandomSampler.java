package io.hpsearch.sampler;

import io.hpsearch.space.SpaceSize;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Arbiter's random search, seeded, minus repeats: a candidate that trains the same network as an earlier one
 * (same layers and values; values of absent layers do not count) is drawn again.
 */
final class RandomSampler implements Sampler {
    /** Draws allowed per trial in a space of unknown size before it is taken as exhausted. */
    private static final long MIN_DRAWS = 1_000;

    private final RandomSearchGenerator generator;
    private final Set<String> proposed;
    private final Optional<BigInteger> spaceSize;

    RandomSampler(SpaceSpec spec) {
        generator = new RandomSearchGenerator(ArbiterSpace.of(spec.model()), null);
        generator.setRngSeed(spec.seed());
        proposed = new HashSet<>();
        spaceSize = SpaceSize.finiteNetworks(spec);
    }

    @Override
    public Optional<TrialParams> next(List<TrialRecord> trials) {
        // A resumed run draws the same sequence again, skipping what it has: the same networks as an unkilled run.
        trials.forEach(t -> proposed.add(t.params().key()));
        if (spaceSize.isPresent() && BigInteger.valueOf(proposed.size()).compareTo(spaceSize.get()) >= 0) {
            return Optional.empty();
        }
        // In a finite space the last unseen networks take about size/left draws; allow far more than that.
        long draws = spaceSize.map(n -> Math.max(MIN_DRAWS, n.min(BigInteger.valueOf(1_000_000)).longValue() * 50))
                .orElse(MIN_DRAWS);
        for (long i = 0; i < draws; i++) {
            Candidate<?> candidate = generator.getCandidate();
            if (candidate.getException() != null) {
                throw new IllegalStateException("Arbiter could not build a candidate", candidate.getException());
            }
            TrialParams params = (TrialParams) candidate.getValue();
            if (proposed.add(params.key())) {
                return Optional.of(params);
            }
        }
        return Optional.empty();
    }
}
