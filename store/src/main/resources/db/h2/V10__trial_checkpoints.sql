-- A running trial's training state at its last checkpoint (weights, optimiser state, data order, random state, the
-- best weights early stopping keeps): a trial whose process died continues from there instead of from scratch.
-- One row per trial, replaced in the transaction that records the epoch it was taken after, and deleted when the
-- trial completes, is pruned or fails: a cancelled or interrupted trial keeps it, to be resumed.
CREATE TABLE trial_checkpoints (
    trial_id  BIGINT NOT NULL PRIMARY KEY REFERENCES trials (id) ON DELETE CASCADE,
    execution INT    NOT NULL,
    epoch     INT    NOT NULL,
    state     BLOB   NOT NULL
);
