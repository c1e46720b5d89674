package io.hpsearch.store;

/** Where a trial is in its life. */
public enum TrialState {
    RUNNING, COMPLETED,
    /**
     * Stopped by the run's pruner after an epoch, its objective too far behind the other trials' at that epoch;
     * its score is its last epoch's value. Finished, ranked below every completed trial.
     */
    PRUNED,
    FAILED, CANCELLED,
    /** Its process stopped (no heartbeat within the grace period); resuming the run trains it again. */
    INTERRUPTED;

    public boolean isFinished() {
        return this != RUNNING;
    }
}
