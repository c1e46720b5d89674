package io.hpsearch.space;

import java.util.Locale;

/** How candidates are drawn from a space; {@code io.hpsearch.sampler.Samplers} maps each to its sampler. */
public enum SearchKind {
    RANDOM, GRID,
    /** Tree-structured Parzen Estimator, as Optuna's TPESampler. */
    TPE,
    /** Arbiter's genetic search. */
    GENETIC;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
