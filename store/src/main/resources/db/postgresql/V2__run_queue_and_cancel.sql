-- Runs launched from the dashboard wait in a queue (status QUEUED); any process may ask a run to stop, and the
-- process that trains it polls this flag, so a dashboard can cancel a run started from the command line.
ALTER TABLE runs ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
