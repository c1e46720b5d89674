package io.hpsearch.store;

/** Where a run is in its life. */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this != RUNNING;
    }
}
