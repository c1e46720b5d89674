-- A trial may train several times with different seeds (executions_per_trial): its score is their mean, with the
-- standard deviation beside it, and every execution keeps its own curve. Early stopping records the epoch whose
-- weights the trial kept and the epoch it stopped after.
ALTER TABLE trials ADD COLUMN score_std DOUBLE PRECISION;
ALTER TABLE trials ADD COLUMN best_epoch INT;
ALTER TABLE trials ADD COLUMN stopped_epoch INT;
ALTER TABLE epochs ADD COLUMN execution INT DEFAULT 1 NOT NULL;
ALTER TABLE epochs DROP CONSTRAINT epochs_pkey;
ALTER TABLE epochs ADD PRIMARY KEY (trial_id, execution, epoch);
