package io.hpsearch.report;

import java.util.Map;

/**
 * One trial as the JSON API and {@code hpsearch trials --format json} show it.
 *
 * @param rank place among the run's completed trials by its objective (1 = best), null for the others
 * @param best whether this is the run's best completed trial
 */
public record TrialView(int number, String state, Integer rank, Double score, int epochs, Map<String, Object> params,
                        String failureReason, String startedAt, String finishedAt, Double durationSeconds,
                        boolean best) {
}
