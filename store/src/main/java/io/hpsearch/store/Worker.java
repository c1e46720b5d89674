package io.hpsearch.store;

import java.time.Instant;

/**
 * A process that trains trials, as the run page's workers panel shows it: where it runs, how many of the run's trials
 * it finished, the one it trains now (null when none), and how long ago (by the database's clock) it last wrote a
 * heartbeat.
 */
public record Worker(long id, String host, long pid, Instant startedAt, Instant heartbeatAt, int trialsDone,
                     Integer currentTrial, double secondsSinceHeartbeat) {
}
