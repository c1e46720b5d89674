package io.hpsearch.store;

/** A run about to start, with its provenance: the space as written and as resolved, the seed, the versions. */
public record NewRun(String name, String spaceYaml, String resolvedSpace, String searchKind, Objective objective,
                     int maxTrials, long seed, String javaVersion, String dl4jVersion, String hpsearchVersion) {
}
