package io.hpsearch.pruner;

import io.hpsearch.trial.TrialRecord;

import java.util.List;

/**
 * Decides after each epoch whether a trial goes on (Optuna's BasePruner: one method). Pruners keep no state of
 * their own: everything they weigh is in the trials they are given, read from the store, so a resumed run prunes
 * as the original would have, and one worker or many makes no difference.
 */
public interface Pruner {
    /** Never prunes: the default. */
    Pruner NONE = (trial, others) -> false;

    /**
     * @param trial  the trial that has just finished an epoch: {@code trial.values()} ends with that epoch's
     *               objective
     * @param others every other trial of the run, in any state, with the epochs each has done
     * @return whether to stop it now, as pruned
     */
    boolean prune(TrialRecord trial, List<TrialRecord> others);

    /**
     * How far a pruned trial got on this pruner's scale: TPE ranks pruned trials by it, then by their last value
     * (Optuna's {@code _get_pruned_trial_score} ranks by the last step reported). Epochs, unless the pruner
     * judges by something else.
     */
    default int progress(TrialRecord pruned) {
        return pruned.epochs();
    }
}
