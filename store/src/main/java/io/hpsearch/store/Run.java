package io.hpsearch.store;

import java.time.Instant;

/** A stored run. {@code finishedAt} and {@code message} are null while it runs. */
public record Run(long id, String name, String spaceYaml, String resolvedSpace, String searchKind,
                  Objective objective, int maxTrials, long seed, RunStatus status, String message,
                  String javaVersion, String dl4jVersion, String hpsearchVersion, Instant createdAt,
                  Instant finishedAt) {
}
