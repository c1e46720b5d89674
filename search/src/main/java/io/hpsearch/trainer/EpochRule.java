package io.hpsearch.trainer;

import io.hpsearch.store.EpochMetrics;

import java.util.List;

/**
 * Asked after every epoch of a trial whether it goes on: early stopping and pruning are such rules, and the
 * trainer asks them all the same way. The first rule that does not say CONTINUE decides.
 */
@FunctionalInterface
public interface EpochRule {
    /** What a rule says after an epoch. */
    enum Decision {
        /** Train the next epoch. */
        CONTINUE,
        /** Stop and keep the trial: it is done (early stopping). */
        STOP,
        /** Stop and mark the trial pruned: it trails the others (a pruner). */
        PRUNE
    }

    /**
     * @param epochs the trial's epochs so far (this execution), the last one just ended
     */
    Decision decide(List<EpochMetrics> epochs);
}
