package io.hpsearch.sampler;

import io.hpsearch.trial.TrialParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Proposes the next trial of a run. Implementations are not thread-safe: one coordinator asks. */
public interface Sampler {

    /** The next network to train, never one already proposed; empty once the space has no new network. */
    Optional<TrialParams> next();

    /** The next {@code n} networks, or fewer when the space runs out first. */
    default List<TrialParams> take(int n) {
        List<TrialParams> out = new ArrayList<>();
        for (Optional<TrialParams> next; out.size() < n && (next = next()).isPresent(); ) {
            out.add(next.get());
        }
        return out;
    }
}
