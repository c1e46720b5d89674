-- Listing and ranking trials read each trial's epoch count. Counting epoch rows per trial on every read grows with
-- the epochs table (a million rows at 10,000 trials), so the count is kept on the trial, in the same transaction
-- that records the epoch.
ALTER TABLE trials ADD COLUMN epochs INT DEFAULT 0 NOT NULL;
UPDATE trials t SET epochs = COALESCE((SELECT MAX(e.epoch) FROM epochs e WHERE e.trial_id = t.id), 0);
