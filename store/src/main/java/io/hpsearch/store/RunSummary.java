package io.hpsearch.store;

/**
 * A run with its trial counts, best completed score (in the objective's direction) and, once evaluated, the best
 * network's test accuracy.
 */
public record RunSummary(Run run, int completed, int pruned, int failed, int cancelled, int running,
                         Double bestScore, Double testAccuracy) {

    public int total() {
        return completed + pruned + failed + cancelled + running;
    }
}
