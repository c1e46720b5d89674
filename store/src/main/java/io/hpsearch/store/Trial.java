package io.hpsearch.store;

import java.time.Instant;

/**
 * A stored trial. {@code params} is a JSON object of parameter values; {@code epochs} the number of epochs recorded.
 */
public record Trial(long id, long runId, int number, String params, String paramsKey, TrialState state, Double score,
                    int epochs, String failureReason, Instant startedAt, Instant finishedAt) {
}
