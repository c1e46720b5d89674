package io.hpsearch.store;

/** Where a trial is in its life. */
public enum TrialState {
    RUNNING, COMPLETED, FAILED, CANCELLED,
    /** Its process stopped (no heartbeat within the grace period); resuming the run trains it again. */
    INTERRUPTED;

    public boolean isFinished() {
        return this != RUNNING;
    }
}
