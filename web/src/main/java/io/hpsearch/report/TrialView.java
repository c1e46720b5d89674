package io.hpsearch.report;

import java.util.Map;

/**
 * One trial as the JSON API and {@code hpsearch trials --format json} show it.
 *
 * @param rank place among the run's completed trials by its objective (1 = best), null for the others
 * @param scoreStd  standard deviation of the score over the trial's executions (null for one execution)
 * @param bestEpoch the epoch whose weights the trial kept (early stopping), null until it completes
 * @param best      whether this is the run's best completed trial
 * @param host      the machine whose worker trains or trained it, with {@code pid} its process (null for trials
 *                  recorded before workers were)
 * @param retries   how often it was trained again because its worker died
 */
public record TrialView(int number, String state, Integer rank, Double score, Double scoreStd, int epochs,
                        Integer bestEpoch, Integer stoppedEpoch, Map<String, Object> params, String failureReason,
                        String startedAt, String finishedAt, Double durationSeconds, boolean best,
                        String host, Long pid, int retries) {
}
