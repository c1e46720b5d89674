package io.hpsearch.sampler;

import io.hpsearch.space.SearchOptions;
import io.hpsearch.space.SpaceSize;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.apache.commons.math3.random.RandomGenerator;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.CrossoverOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.CrossoverResult;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.parentselection.RandomTwoParentSelection;
import org.deeplearning4j.arbiter.optimize.generator.genetic.exceptions.GeneticGenerationException;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.PopulationModel;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Arbiter's genetic search (GeneticSearchCandidateGenerator with its default operators: single-point crossover of
 * two random parents, random mutation, least-fit culling), seeded, minus repeats, and learning from the run's
 * stored trials.
 *
 * <p>How it learns: every completed or pruned trial it has not yet seen is reported to Arbiter as a chromosome,
 * its genes those of its parameters ({@link ArbiterSpace.ModelParameterSpace#genes}) and its fitness the trial's
 * score, with Arbiter told the objective's direction (its population sorts and culls by it). A pruned trial counts
 * with its last epoch's score: it was stopped for being behind, which is what the population should learn. A fresh
 * sampler given a long history (a resumed run) rebuilds the same population from it. Running, failed, cancelled and
 * interrupted trials have no score and teach nothing, but the network of every trial counts as had.
 *
 * <p>Arbiter breeds only once its population reaches its culled size (two thirds of population_size); until then
 * it draws random genes. When it cannot breed a network the run does not have (a converged population in a small
 * space), the sampler draws uniform random genes itself, as Arbiter does before breeding, so a finite space is
 * still explored to the end; when that fails too, the space is taken as exhausted.
 */
final class GeneticSampler implements Sampler {
    /** Candidates asked of Arbiter per trial before its breeding is taken as unable to give a new network. */
    private static final int BREEDING_ATTEMPTS = 1_000;
    /**
     * Crossovers allowed per trial, all candidates together: Arbiter retries a candidate up to 1024 x 1024 times
     * inside one call when its offspring repeat, so a budget is what bounds one call.
     */
    private static final int CROSSOVER_BUDGET = 100_000;
    /** Random draws allowed per trial in a space of unknown size before it is taken as exhausted. */
    private static final long MIN_DRAWS = 1_000;

    private final ArbiterSpace.ModelParameterSpace space;
    private final CopyingCrossover crossover;
    private final GeneticSearchCandidateGenerator generator;
    private final RandomGenerator fallback;
    private final boolean maximise;
    private final Optional<BigInteger> spaceSize;
    /** Keys of every network the run has or this sampler proposed. */
    private final Set<String> proposed = new HashSet<>();
    /** Trials already reported to Arbiter, by number. */
    private final Set<Integer> reported = new HashSet<>();

    GeneticSampler(SpaceSpec spec) {
        SearchOptions.Genetic options = spec.options().genetic();
        maximise = spec.objective().maximise();
        space = ArbiterSpace.of(spec.model());
        spaceSize = SpaceSize.finiteNetworks(spec);
        // One stream per component, so that each is seeded and none shifts another's draws.
        SplittableRandom seeds = new SplittableRandom(spec.seed());
        crossover = new CopyingCrossover(new SinglePointCrossover.Builder()
                .crossoverRate(options.crossoverRate())
                .randomGenerator(rng(seeds))
                .parentSelection(new RandomTwoParentSelection(rng(seeds)))
                .build());
        generator = new GeneticSearchCandidateGenerator.Builder(space, new Direction(!maximise))
                .populationModel(new PopulationModel.Builder().populationSize(options.populationSize()).build())
                .selectionOperator(new GeneticSelectionOperator.Builder()
                        .crossoverOperator(crossover)
                        .mutationOperator(new RandomMutationOperator.Builder()
                                .mutationRate(options.mutationRate())
                                .randomGenerator(rng(seeds))
                                .build())
                        .randomGenerator(rng(seeds))
                        .build())
                .build();
        fallback = rng(seeds);
    }

    private static RandomGenerator rng(SplittableRandom seeds) {
        RandomGenerator rng = new JDKRandomGenerator();
        rng.setSeed(seeds.nextLong());
        return rng;
    }

    @Override
    public Optional<TrialParams> next(List<TrialRecord> trials) {
        learn(trials);
        if (spaceSize.isPresent() && BigInteger.valueOf(proposed.size()).compareTo(spaceSize.get()) >= 0) {
            return Optional.empty();
        }
        crossover.budget(CROSSOVER_BUDGET);
        for (int i = 0; i < BREEDING_ATTEMPTS; i++) {
            Candidate<?> candidate = generator.getCandidate();
            if (candidate.getException() instanceof GeneticGenerationException) {
                break; // Arbiter found no untried genes (or spent the crossover budget): breeding is stuck
            }
            if (candidate.getException() != null) {
                throw new IllegalStateException("Arbiter could not build a candidate", candidate.getException());
            }
            TrialParams params = (TrialParams) candidate.getValue();
            if (proposed.add(params.key())) {
                return Optional.of(params);
            }
        }
        return randomNetwork();
    }

    /** Reports the trials with a score that Arbiter has not seen, in number order, and notes every trial's network. */
    private void learn(List<TrialRecord> trials) {
        for (TrialRecord t : trials) {
            proposed.add(t.params().key());
            boolean scored = t.state() == TrialState.COMPLETED || t.state() == TrialState.PRUNED;
            if (scored && t.score() != null && reported.add(t.number())) {
                double[] genes = space.genes(t.params());
                generator.reportResults(new OptimizationResult(new Candidate<>(t.params(), t.number(), genes),
                        fitness(t.score()), t.number(), null, null, null));
            }
        }
    }

    /**
     * Arbiter's fitness is the score itself, ordered by the ScoreFunction's minimize flag. A diverged network's NaN
     * would compare equal to everything and break that order, so it becomes the worst possible fitness.
     */
    private double fitness(double score) {
        if (Double.isNaN(score)) {
            return maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return score;
    }

    /** Uniform random genes, as Arbiter draws before its population can breed; bounded like random search. */
    private Optional<TrialParams> randomNetwork() {
        long draws = spaceSize.map(n -> Math.max(MIN_DRAWS, n.min(BigInteger.valueOf(1_000_000)).longValue() * 50))
                .orElse(MIN_DRAWS);
        double[] genes = new double[space.numParameters()];
        for (long i = 0; i < draws; i++) {
            for (int g = 0; g < genes.length; g++) {
                genes[g] = fallback.nextDouble();
            }
            TrialParams params = space.getValue(genes);
            if (proposed.add(params.key())) {
                return Optional.of(params);
            }
        }
        return Optional.empty();
    }

    /** Arbiter's generator, for tests to look at its population. */
    GeneticSearchCandidateGenerator generator() {
        return generator;
    }

    /** The genes this sampler reports for {@code params}. */
    double[] genes(TrialParams params) {
        return space.genes(params);
    }

    /**
     * Guards against Arbiter's parent-mutation trap, and bounds its retries. When SinglePointCrossover (like every
     * Arbiter 1.0.0-beta7 crossover) does not cross, it returns the first parent's own gene array, and
     * GeneticSelectionOperator then mutates that array in place: the parent chromosome in the population changes
     * while keeping its fitness. Handing out a copy every time keeps the population as it was reported.
     */
    static final class CopyingCrossover extends CrossoverOperator {
        private final CrossoverOperator delegate;
        private int left = Integer.MAX_VALUE;

        CopyingCrossover(CrossoverOperator delegate) {
            this.delegate = delegate;
        }

        /** Crossovers allowed until the next call; past them the candidate fails as Arbiter's own retries do. */
        void budget(int crossovers) {
            left = crossovers;
        }

        @Override
        public void initializeInstance(PopulationModel populationModel) {
            super.initializeInstance(populationModel);
            delegate.initializeInstance(populationModel);
        }

        @Override
        public CrossoverResult crossover() {
            if (left-- <= 0) {
                throw new GeneticGenerationException("no untried offspring within the crossover budget");
            }
            CrossoverResult result = delegate.crossover();
            return new CrossoverResult(result.isModified(), result.getGenes().clone());
        }
    }

    /**
     * Arbiter's generator takes the optimisation direction from a ScoreFunction; hpsearch scores trials itself, so
     * this one only answers which way is better.
     */
    private static final class Direction implements ScoreFunction {
        private final boolean minimize;

        Direction(boolean minimize) {
            this.minimize = minimize;
        }

        @Override
        public boolean minimize() {
            return minimize;
        }

        @Override
        public double score(Object model, DataProvider data, Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("hpsearch scores trials itself");
        }

        @Override
        public double score(Object model, Class<? extends DataSource> data, Properties dataParameters) {
            throw new UnsupportedOperationException("hpsearch scores trials itself");
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of();
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of();
        }
    }
}
