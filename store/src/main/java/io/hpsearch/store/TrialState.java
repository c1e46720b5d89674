package io.hpsearch.store;

/** Where a trial is in its life. */
public enum TrialState {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this != RUNNING;
    }
}
