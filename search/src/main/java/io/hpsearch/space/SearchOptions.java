package io.hpsearch.space;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the search goes beyond its kind: the model-based samplers' settings and the pruner. Defaults are Optuna's
 * (TPESampler, the pruners) and Arbiter's (GeneticSearchCandidateGenerator), stated in the README.
 *
 * @param tpe     settings of {@code search: tpe}
 * @param genetic settings of {@code search: genetic}
 * @param pruner  what stops hopeless trials early, across trials
 */
public record SearchOptions(Tpe tpe, Genetic genetic, PrunerSpec pruner) {
    public static final SearchOptions DEFAULT = new SearchOptions(Tpe.DEFAULT, Genetic.DEFAULT, PrunerSpec.NONE);

    /**
     * Optuna's TPESampler settings.
     *
     * @param startupTrials random trials before the model takes over (n_startup_trials)
     * @param candidates    draws from the good trials' density, the best l(x)/g(x) taken (n_ei_candidates)
     * @param priorWeight   weight of the prior kernel beside the trials' kernels (prior_weight)
     * @param multivariate  parameters that always occur together are modelled jointly, as Optuna's
     *                      {@code multivariate=True, group=True}; off by default, as there
     */
    public record Tpe(int startupTrials, int candidates, double priorWeight, boolean multivariate) {
        public static final Tpe DEFAULT = new Tpe(10, 24, 1.0, false);
    }

    /**
     * Arbiter's genetic search settings; the defaults are Arbiter 1.0.0-beta7's own (PopulationModel's size 30,
     * SinglePointCrossover's rate 0.85, RandomMutationOperator's rate 0.005).
     *
     * @param populationSize scored networks kept as parents, at most; when full, the least fit third is culled,
     *                       and breeding starts once two thirds of it are scored (random networks before that)
     * @param crossoverRate  probability that a child mixes two parents rather than copying one
     * @param mutationRate   probability that each of a child's genes is redrawn
     */
    public record Genetic(int populationSize, double crossoverRate, double mutationRate) {
        public static final Genetic DEFAULT = new Genetic(30, 0.85, 0.005);
    }

    /** As stored with the run. */
    public Map<String, Object> describe(SearchKind kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (kind == SearchKind.TPE) {
            m.put("tpe", Map.of("startup_trials", tpe.startupTrials(), "candidates", tpe.candidates(),
                    "prior_weight", tpe.priorWeight(), "multivariate", tpe.multivariate()));
        }
        if (kind == SearchKind.GENETIC) {
            m.put("genetic", Map.of("population_size", genetic.populationSize(), "crossover_rate",
                    genetic.crossoverRate(), "mutation_rate", genetic.mutationRate()));
        }
        m.put("pruner", pruner.describe());
        return m;
    }
}
