package io.hpsearch.sampler;

import io.hpsearch.space.SpaceSize;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The one place that maps a space's {@code search:} to its sampler, the number of trials a run of it plans, and
 * how it is described to the user.
 */
public final class Samplers {
    private Samplers() {
    }

    /** The space's sampler, handing out candidates in the order it draws them. */
    public static Sampler forSpace(SpaceSpec spec) {
        return switch (spec.search()) {
            case RANDOM -> new RandomSampler(spec);
            case GRID -> new GridSampler(spec);
            case TPE -> new TpeSampler(spec);
            case GENETIC -> new GeneticSampler(spec);
        };
    }

    /**
     * The sampler a run uses. Grid search trains a fixed set, so it goes longest first to keep every worker busy to
     * the end; the other kinds keep their draw order (a random search stopped early has still trained a random
     * sample, and the model-based ones learn as they go).
     *
     * @param planned new networks the run still wants
     * @param cost    a network's relative training cost
     * @param trials  the run's trials so far
     */
    public static Sampler forRun(SpaceSpec spec, int planned, ToLongFunction<TrialParams> cost,
                                 List<TrialRecord> trials) {
        Sampler sampler = forSpace(spec);
        return switch (spec.search()) {
            case GRID -> new LongestFirst(sampler, planned, cost, trials);
            case RANDOM, TPE, GENETIC -> sampler;
        };
    }

    /** Trials a run of the space will train: max_trials, or fewer when the space has fewer distinct networks. */
    public static int plannedTrials(SpaceSpec spec) {
        BigInteger size = switch (spec.search()) {
            case GRID -> SpaceSize.distinctNetworks(spec);
            case RANDOM, TPE, GENETIC -> SpaceSize.finiteNetworks(spec).orElse(BigInteger.valueOf(Integer.MAX_VALUE));
        };
        return size.min(BigInteger.valueOf(spec.maxTrials())).intValue();
    }

    /** For people: "grid search over 1,024 networks", "TPE (10 random trials first)", ... */
    public static String describe(SpaceSpec spec) {
        return switch (spec.search()) {
            case GRID -> String.format(Locale.ROOT, "grid search over %,d networks", SpaceSize.distinctNetworks(spec));
            case RANDOM -> "random search";
            case TPE -> "TPE search (" + spec.options().tpe().startupTrials() + " random trials first)";
            case GENETIC -> "genetic search (population " + spec.options().genetic().populationSize() + ")";
        } + (spec.options().pruner().type().equals("none") ? "" : ", " + spec.options().pruner().label());
    }
}
