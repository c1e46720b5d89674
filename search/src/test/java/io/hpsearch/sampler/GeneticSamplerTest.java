package io.hpsearch.sampler;

import io.hpsearch.space.SearchOptions;
import io.hpsearch.space.SpaceException;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
import org.deeplearning4j.arbiter.optimize.generator.genetic.Chromosome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneticSamplerTest {

    /** 5 x 3 x 6 x (5 + 25 + 125) x 4 ~ 56,000 networks: room for a run that never runs out. */
    private static final String WIDE = """
            name: wide
            search: %s
            seed: %d
            objective: %s
            %s
            model:
              type: mlp
              input_dropout: {choice: [0.0, 0.1, 0.2, 0.3, 0.4]}
              hidden_layers: {min: 1, max: 3}
              units: {choice: [16, 32, 64, 128, 256]}
              activation: {choice: [relu, tanh, elu]}
              batch_size: {choice: [16, 32, 64, 128, 256, 512]}
              learning_rate: {choice: [0.1, 0.03, 0.01, 0.003]}
            """;

    /** 2 x 2 x 2 = 8 networks. */
    private static final String TINY = """
            name: tiny
            search: genetic
            seed: 4
            objective: val_accuracy
            genetic: {population_size: 3, crossover_rate: %s, mutation_rate: %s}
            model:
              type: mlp
              input_dropout: {choice: [0.0, 0.2]}
              hidden_layers: 1
              units: {choice: [32, 64]}
              learning_rate: {choice: [0.01, 0.001]}
            """;

    private static SpaceSpec wide(String search, long seed, String objective, String genetic) {
        return SpaceParser.parse(WIDE.formatted(search, seed, objective, genetic), "wide.yaml");
    }

    private static SpaceSpec wide(long seed) {
        return wide("genetic", seed, "val_accuracy", "");
    }

    /** A synthetic objective: the learning rate decides it (0.01 best), the rest is small deterministic noise. */
    private static double score(TrialParams p) {
        double lr = p.decimal("learning_rate", 0);
        double base = lr == 0.01 ? 0.9 : lr == 0.003 ? 0.6 : lr == 0.03 ? 0.5 : 0.3;
        return base + (Math.floorMod(p.key().hashCode(), 1000) / 1000.0) * 0.05;
    }

    /** A sequential run: each proposal is trained (scored by {@code objective}) before the next is asked. */
    private static List<TrialRecord> run(Sampler sampler, int trials, ToDoubleFunction<TrialParams> objective) {
        List<TrialRecord> history = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            Optional<TrialParams> next = sampler.next(history);
            if (next.isEmpty()) {
                break;
            }
            double s = objective.applyAsDouble(next.get());
            history.add(new TrialRecord(i + 1, next.get(), TrialState.COMPLETED, s, new double[]{s}));
        }
        return history;
    }

    private static List<String> keys(List<TrialRecord> history) {
        return history.stream().map(t -> t.params().key()).toList();
    }

    @Test
    void isReproducibleFromTheSeed() {
        List<String> a = keys(run(new GeneticSampler(wide(7)), 40, GeneticSamplerTest::score));
        List<String> b = keys(run(new GeneticSampler(wide(7)), 40, GeneticSamplerTest::score));
        List<String> c = keys(run(new GeneticSampler(wide(8)), 40, GeneticSamplerTest::score));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void neverProposesANetworkTheRunHas() {
        SpaceSpec spec = wide(7);
        // A history from another sampler, with scores: enough for the population to breed from it.
        List<TrialRecord> history = run(Samplers.forSpace(wide("random", 3, "val_accuracy", "")), 60,
                GeneticSamplerTest::score);
        List<TrialRecord> withRunning = new ArrayList<>(history);
        TrialParams running = Samplers.forSpace(wide("random", 99, "val_accuracy", "")).next(List.of()).orElseThrow();
        withRunning.add(new TrialRecord(61, running, TrialState.RUNNING, null, new double[0]));
        List<TrialParams> proposed = new GeneticSampler(spec).take(300, withRunning);
        assertEquals(300, proposed.size());
        Set<String> had = new HashSet<>(keys(withRunning));
        assertTrue(proposed.stream().noneMatch(p -> had.contains(p.key())));
        assertEquals(300, proposed.stream().map(TrialParams::key).distinct().count());
    }

    @Test
    void exhaustsATinySpaceAndThenSaysSoAtOnce() {
        // Default-like rates, and rates with which Arbiter alone could never breed anything new.
        for (String[] rates : new String[][]{{"0.85", "0.005"}, {"0", "0"}, {"1", "0"}}) {
            SpaceSpec spec = SpaceParser.parse(TINY.formatted(rates[0], rates[1]), "tiny.yaml");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                GeneticSampler sampler = new GeneticSampler(spec);
                List<TrialRecord> history = run(sampler, 100, GeneticSamplerTest::score);
                assertEquals(8, history.size(), "every network once, with rates " + String.join("/", rates));
                assertEquals(8, keys(history).stream().distinct().count());
                assertTrue(sampler.next(history).isEmpty());
                assertTrue(new GeneticSampler(spec).next(history).isEmpty(), "a resumed run learns it at once");
            });
        }
    }

    @Test
    void learnsFromScoresBetterThanRandomSearch() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            int genetic = 0;
            int random = 0;
            for (long seed = 1; seed <= 5; seed++) {
                genetic += good(run(new GeneticSampler(wide(seed)), 60, GeneticSamplerTest::score));
                random += good(run(Samplers.forSpace(wide("random", seed, "val_accuracy", "")), 60,
                        GeneticSamplerTest::score));
            }
            // Trials 31-60 of 5 runs: random search picks the best learning rate a quarter of the time.
            assertTrue(genetic > random * 2, "genetic " + genetic + " vs random " + random + " of 150");
        });
    }

    @Test
    void followsTheObjectivesDirection() {
        // The same synthetic objective as a loss: lower is better, so the best rate is now the worst.
        int maximised = 0;
        int minimised = 0;
        for (long seed = 1; seed <= 5; seed++) {
            maximised += good(run(new GeneticSampler(wide(seed)), 60, GeneticSamplerTest::score));
            minimised += good(run(new GeneticSampler(wide("genetic", seed, "val_loss", "")), 60,
                    GeneticSamplerTest::score));
        }
        assertTrue(maximised > minimised * 2, "maximised " + maximised + " vs minimised " + minimised);
    }

    /** Of trials 31 onwards, those with the best learning rate. */
    private static int good(List<TrialRecord> history) {
        return (int) history.stream().skip(30).filter(t -> t.params().decimal("learning_rate", 0) == 0.01).count();
    }

    @Test
    void aResumedRunRebuildsTheSamePopulation() {
        SpaceSpec spec = wide(7);
        GeneticSampler live = new GeneticSampler(spec);
        List<TrialRecord> history = run(live, 50, GeneticSamplerTest::score);
        live.next(history);
        GeneticSampler resumed = new GeneticSampler(spec);
        TrialParams first = resumed.next(history).orElseThrow();
        assertTrue(keys(history).stream().noneMatch(first.key()::equals));
        List<Chromosome> a = live.generator().getPopulationModel().getPopulation();
        List<Chromosome> b = resumed.generator().getPopulationModel().getPopulation();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getFitness(), b.get(i).getFitness());
            assertArrayEquals(a.get(i).getGenes(), b.get(i).getGenes());
        }
    }

    @Test
    void optionsDefaultToArbitersAndAPopulationMustBreedFromTwoParents() {
        assertEquals(new SearchOptions.Genetic(30, 0.85, 0.005), wide(7).options().genetic());
        assertEquals(new SearchOptions.Genetic(3, 0.5, 0.1),
                wide("genetic", 7, "val_accuracy", "genetic: {population_size: 3, crossover_rate: 0.5, "
                        + "mutation_rate: 0.1}").options().genetic());
        // Population 2 would breed from one chromosome, and Arbiter would look for a second parent forever.
        SpaceException tooSmall = assertThrows(SpaceException.class,
                () -> wide("genetic", 7, "val_accuracy", "genetic: {population_size: 2}"));
        assertTrue(tooSmall.getMessage().contains("population_size"), tooSmall.getMessage());
    }

    @Test
    void learnsFromCompletedAndPrunedTrialsOnlyAndTakesNanAsTheWorst() {
        SpaceSpec spec = wide("genetic", 7, "val_accuracy", "genetic: {population_size: 30}");
        List<TrialParams> networks = Samplers.forSpace(wide("random", 3, "val_accuracy", "")).take(6);
        List<TrialRecord> history = List.of(
                new TrialRecord(1, networks.get(0), TrialState.COMPLETED, 0.8, new double[]{0.8}),
                new TrialRecord(2, networks.get(1), TrialState.PRUNED, 0.2, new double[]{0.2}),
                new TrialRecord(3, networks.get(2), TrialState.COMPLETED, Double.NaN, new double[]{Double.NaN}),
                new TrialRecord(4, networks.get(3), TrialState.RUNNING, null, new double[]{0.5}),
                new TrialRecord(5, networks.get(4), TrialState.FAILED, null, new double[0]),
                new TrialRecord(6, networks.get(5), TrialState.CANCELLED, null, new double[0]));
        GeneticSampler sampler = new GeneticSampler(spec);
        sampler.next(history);
        sampler.next(history); // reported once, however often asked
        List<Double> fitness = sampler.generator().getPopulationModel().getPopulation().stream()
                .map(Chromosome::getFitness).toList();
        assertEquals(List.of(0.8, 0.2, Double.NEGATIVE_INFINITY), fitness, "best first");
    }
}
