package io.hpsearch.sampler;

import io.hpsearch.space.SpaceParser;
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
import org.deeplearning4j.arbiter.optimize.generator.genetic.Chromosome;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.parentselection.RandomTwoParentSelection;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.PopulationModel;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbiter's parent-mutation trap: when its crossover does not fire, it hands back the parent's own gene array, and
 * the mutation operator then edits that array in place, changing a chromosome of the population under its fitness.
 * With crossover rate 0 and mutation rate 1 every candidate falls into it.
 */
class GeneticTrapTest {

    private static final String SPACE = """
            name: trap
            search: genetic
            seed: 5
            objective: val_accuracy
            genetic: {population_size: 3, crossover_rate: 0, mutation_rate: 1}
            model:
              type: mlp
              input_dropout: {choice: [0.0, 0.1, 0.2, 0.3]}
              hidden_layers: {min: 1, max: 3}
              units: {choice: [16, 32, 64, 128]}
              dropout: {min: 0.0, max: 0.5}
              learning_rate: {min: 0.0001, max: 0.1, log: true}
            """;

    @Test
    void theSamplersPopulationKeepsTheGenesItWasGiven() {
        SpaceSpec spec = SpaceParser.parse(SPACE, "trap.yaml");
        GeneticSampler sampler = new GeneticSampler(spec);
        List<TrialRecord> history = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 2; i++) {
            // Population 3 breeds from 2 chromosomes (its culled size), so the next candidate is bred.
            history.add(new TrialRecord(i + 1, sampler.next(history).orElseThrow(), TrialState.COMPLETED,
                    random.nextDouble(), new double[]{0.5}));
        }
        for (int n = 0; n < 20; n++) {
            TrialParams next = sampler.next(history).orElseThrow();
            List<Chromosome> population = sampler.generator().getPopulationModel().getPopulation();
            assertEquals(2, population.size());
            for (Chromosome c : population) {
                TrialRecord parent = history.stream().filter(t -> t.score() == c.getFitness()).findFirst().orElseThrow();
                assertArrayEquals(sampler.genes(parent.params()), c.getGenes(),
                        "breeding must not change a parent's genes (candidate " + n + ": " + next.key() + ")");
            }
        }
    }

    /**
     * Pins the trap in Arbiter 1.0.0-beta7 itself, so that the guard above is known to guard something: if a later
     * Arbiter copies the parent, this fails and the guard can be reconsidered.
     */
    @Test
    void arbitersOwnGeneratorMutatesAParentInPlace() {
        SpaceSpec spec = SpaceParser.parse(SPACE, "trap.yaml");
        ArbiterSpace.ModelParameterSpace space = ArbiterSpace.of(spec.model());
        GeneticSearchCandidateGenerator generator = new GeneticSearchCandidateGenerator.Builder(space, maximise())
                .populationModel(new PopulationModel.Builder().populationSize(3).build())
                .selectionOperator(new GeneticSelectionOperator.Builder()
                        .crossoverOperator(new SinglePointCrossover.Builder().crossoverRate(0)
                                .randomGenerator(seeded(1))
                                .parentSelection(new RandomTwoParentSelection(seeded(2))).build())
                        .mutationOperator(new RandomMutationOperator.Builder().mutationRate(1)
                                .randomGenerator(seeded(3)).build())
                        .randomGenerator(seeded(4))
                        .build())
                .build();
        Random random = new Random(7);
        List<double[]> reported = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            double[] genes = random.doubles(space.numParameters()).toArray();
            reported.add(genes.clone());
            generator.reportResults(new OptimizationResult(new Candidate<>(space.getValue(genes), i, genes),
                    (double) i, i, null, null, null));
        }
        Candidate<?> bred = generator.getCandidate();
        List<Chromosome> population = generator.getPopulationModel().getPopulation();
        boolean parentChanged = population.stream().anyMatch(c -> reported.stream()
                .noneMatch(r -> Arrays.equals(r, c.getGenes())));
        assertTrue(parentChanged, "Arbiter no longer mutates a parent in place");
        assertTrue(population.stream().anyMatch(c -> c.getGenes() == bred.getFlatParameters()),
                "the candidate is the parent's own array");
        assertFalse(reported.stream().anyMatch(r -> Arrays.equals(r, bred.getFlatParameters())));
    }

    private static RandomGenerator seeded(long seed) {
        RandomGenerator rng = new JDKRandomGenerator();
        rng.setSeed(seed);
        return rng;
    }

    private static ScoreFunction maximise() {
        return new ScoreFunction() {
            @Override
            public double score(Object m, DataProvider d, Map<String, Object> p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public double score(Object m, Class<? extends DataSource> d, Properties p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean minimize() {
                return false;
            }

            @Override
            public List<Class<?>> getSupportedModelTypes() {
                return List.of();
            }

            @Override
            public List<Class<?>> getSupportedDataTypes() {
                return List.of();
            }
        };
    }
}
