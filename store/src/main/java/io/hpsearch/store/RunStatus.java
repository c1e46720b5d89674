package io.hpsearch.store;

/** Where a run is in its life. */
public enum RunStatus {
    /** Launched from the dashboard, waiting for the runs before it. */
    QUEUED,
    RUNNING, COMPLETED, FAILED, CANCELLED,
    /** Its process stopped without finishing it (killed, crashed, machine rebooted); it can be resumed. */
    INTERRUPTED;

    public boolean isFinished() {
        return this != QUEUED && this != RUNNING;
    }
}
