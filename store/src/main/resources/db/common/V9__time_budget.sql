-- max_minutes: when the run stops training, by the database's clock, so that every worker on every machine stops at
-- the same moment. Null for a run without a time budget. A resumed run gets the time it had left when it stopped.
ALTER TABLE runs ADD COLUMN deadline TIMESTAMP WITH TIME ZONE;
