package io.hpsearch.store;

import java.time.Instant;

/**
 * A stored run. {@code finishedAt} and {@code message} are null while it runs; {@code deadline} is null for a run
 * without a time budget, or one whose budget has not started (see {@link Store#startTimeBudget}).
 */
public record Run(long id, String name, String spaceYaml, String resolvedSpace, String searchKind,
                  Objective objective, int maxTrials, long seed, RunStatus status, String message,
                  String javaVersion, String dl4jVersion, String hpsearchVersion, Instant createdAt,
                  Instant finishedAt, Instant deadline) {
}
