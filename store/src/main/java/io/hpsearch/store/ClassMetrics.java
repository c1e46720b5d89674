package io.hpsearch.store;

/** Test-set metrics of one class. */
public record ClassMetrics(int classIndex, String className, double precision, double recall, double f1,
                           int support) {
}
