-- The process running a run bumps runs.heartbeat_at, and trials.heartbeat_at of its running trials, every second.
-- A RUNNING run or trial whose heartbeat is older than a grace period belongs to a process that died: it is marked
-- INTERRUPTED (a status, not a schema change) and the run can be resumed.
ALTER TABLE runs ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
UPDATE runs SET heartbeat_at = COALESCE(finished_at, created_at);
