package io.hpsearch.sampler;

import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proposes the next trial of a run, given the run's trials so far (Optuna's BaseSampler receives the study's
 * trials the same way). Implementations are not thread-safe: one coordinator asks.
 */
public interface Sampler {

    /**
     * The next network to train: never one the run already has (among {@code trials}, or proposed earlier);
     * empty once the space has no new network.
     *
     * @param trials every trial of the run so far, in number order: finished ones with their scores, running ones
     *               with the epochs they have done (a model-based sampler counts them as it must, so that two
     *               workers do not propose the same network)
     */
    Optional<TrialParams> next(List<TrialRecord> trials);

    /** The next {@code n} networks, or fewer when the space runs out first, for a run with no trials yet. */
    default List<TrialParams> take(int n) {
        return take(n, List.of());
    }

    /** The next {@code n} networks, or fewer when the space runs out first, all asked with the same history. */
    default List<TrialParams> take(int n, List<TrialRecord> trials) {
        List<TrialParams> out = new ArrayList<>();
        for (Optional<TrialParams> next; out.size() < n && (next = next(trials)).isPresent(); ) {
            out.add(next.get());
        }
        return out;
    }
}
