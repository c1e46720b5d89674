package io.hpsearch.sampler;

import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A fixed set of trials handed out most expensive first, so that workers finish together instead of one training
 * the last big network while the others idle (longest-processing-time-first scheduling). The set is the same one
 * the source would have given, only reordered.
 */
final class LongestFirst implements Sampler {
    private final Iterator<TrialParams> order;

    /**
     * Draws the first {@code planned} candidates of {@code source} the run does not have yet and orders them by
     * descending {@code cost}.
     */
    LongestFirst(Sampler source, int planned, ToLongFunction<TrialParams> cost, List<TrialRecord> trials) {
        List<TrialParams> all = new ArrayList<>(source.take(planned, trials));
        // Stable: equally expensive networks keep the source's order.
        all.sort(Comparator.comparingLong(cost).reversed());
        this.order = all.iterator();
    }

    @Override
    public Optional<TrialParams> next(List<TrialRecord> trials) {
        return order.hasNext() ? Optional.of(order.next()) : Optional.empty();
    }
}
