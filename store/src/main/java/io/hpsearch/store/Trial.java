package io.hpsearch.store;

import java.time.Instant;

/**
 * A stored trial. {@code params} is a JSON object of parameter values; {@code epochs} the most epochs any of its
 * executions recorded; {@code score} the mean over its executions and {@code scoreStd} their standard deviation;
 * {@code bestEpoch} and {@code stoppedEpoch} (of the first execution) say where early stopping took its weights and
 * where it stopped; {@code host} and {@code pid} the process that trains or trained it (null for trials recorded
 * before workers were), {@code retries} how often it was trained again after its worker died, {@code claimMs} how
 * long its worker waited for the database to hand it out (null for trials not claimed by a worker).
 */
public record Trial(long id, long runId, int number, String params, String paramsKey, TrialState state, Double score,
                    Double scoreStd, int epochs, Integer bestEpoch, Integer stoppedEpoch, String failureReason,
                    Instant startedAt, Instant finishedAt, String host, Long pid, int retries, Double claimMs) {
}
