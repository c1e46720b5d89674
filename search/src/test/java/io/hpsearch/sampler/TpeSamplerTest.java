package io.hpsearch.sampler;

import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSize;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code search: tpe} as a sampler: determinism, the conditional space, repeats, exhaustion, the constant liar. */
class TpeSamplerTest {

    /** The reference MLP space's shape, with its layer count and learning rate chosen per test. */
    private static final String MLP = """
            name: mlp
            search: tpe
            seed: %d
            objective: val_accuracy
            model:
              type: mlp
              input_dropout: {min: 0.0, max: 0.3, step: 0.1}
              hidden_layers: %s
              units: {choice: [512, 256, 128, 64, 32]}
              dropout: {min: 0.0, max: 0.4, step: 0.1}
              optimizer: adam
              learning_rate: %s
            """;

    private static final String TINY = """
            name: tiny
            search: tpe
            seed: 3
            model:
              type: mlp
              hidden_layers: {min: 1, max: 2}
              units: {choice: [64, 32]}
              learning_rate: {choice: [0.01, 0.001]}
            """;

    /** One to four layers, a log-scale learning rate. */
    static SpaceSpec mlp(long seed) {
        return mlp(seed, "{min: 1, max: 4}", "{min: 0.00001, max: 0.1, log: true}");
    }

    /** One layer and two learning rates: 200 networks in all. */
    private static SpaceSpec small(long seed) {
        return mlp(seed, "{min: 1, max: 1}", "{choice: [0.01, 0.001]}");
    }

    private static SpaceSpec mlp(long seed, String hiddenLayers, String learningRate) {
        return SpaceParser.parse(MLP.formatted(seed, hiddenLayers, learningRate), "mlp.yaml");
    }

    /** A score that prefers two layers of 256 units and a learning rate near 3e-3. */
    private static double score(TrialParams p) {
        double s = 0.9 - 0.03 * Math.pow(Math.log10(p.decimal("learning_rate", 1) / 3e-3), 2)
                - 0.02 * Math.abs(p.integer("hidden_layers", 0) - 2);
        for (int i = 1; i <= p.integer("hidden_layers", 0); i++) {
            s -= 0.01 * Math.abs(Math.log(p.integer("units_" + i, 1) / 256.0) / Math.log(2));
        }
        return s;
    }

    /** Runs {@code n} trials one at a time, each completed before the next is asked for. */
    private static List<TrialRecord> run(Sampler sampler, int n) {
        List<TrialRecord> history = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            TrialParams p = sampler.next(history).orElseThrow();
            history.add(new TrialRecord(i, p, TrialState.COMPLETED, score(p), new double[]{score(p)}));
        }
        return history;
    }

    @Test
    void sameSeedAndHistoryGiveTheSameProposalsAndTheModelUsesTheHistory() {
        List<TrialRecord> a = run(new TpeSampler(mlp(5)), 25);
        List<TrialRecord> b = run(new TpeSampler(mlp(5)), 25);
        assertEquals(a, b, "one worker, same seed: the same sequence");
        assertNotEquals(a, run(new TpeSampler(mlp(6)), 25));
        // A resumed run (a fresh sampler) proposes what the unkilled one did for the same history.
        assertEquals(a.get(20).params(), new TpeSampler(mlp(5)).next(a.subList(0, 20)).orElseThrow());
        // The 11th proposal is TPE's: the same 10 trials with other scores give another proposal.
        List<TrialRecord> first10 = a.subList(0, 10);
        List<TrialRecord> rescored = new ArrayList<>();
        for (TrialRecord t : first10) {
            rescored.add(new TrialRecord(t.number(), t.params(), t.state(), -t.score(), t.values()));
        }
        TrialParams eleventh = new TpeSampler(mlp(5)).next(first10).orElseThrow();
        assertEquals(eleventh, new TpeSampler(mlp(5)).next(first10).orElseThrow());
        assertNotEquals(eleventh, new TpeSampler(mlp(5)).next(rescored).orElseThrow());
    }

    @Test
    void perLayerKeysExistForTheLayersThereAreInRandomSearchsOrder() {
        List<TrialRecord> history = run(new TpeSampler(mlp(9)), 40);
        Set<String> keys = new HashSet<>();
        for (TrialRecord t : history) {
            TrialParams p = t.params();
            int depth = p.integer("hidden_layers", 0);
            List<String> expectedOrder = new ArrayList<>(List.of("input_dropout", "hidden_layers"));
            for (int i = 1; i <= depth; i++) {
                expectedOrder.add("units_" + i);
                expectedOrder.add("dropout_" + i);
            }
            expectedOrder.addAll(List.of("optimizer", "learning_rate"));
            assertEquals(expectedOrder, new ArrayList<>(p.asMap().keySet()), p.toString());
            assertTrue(keys.add(p.key()), "never a repeat: " + p);
            assertTrue(List.of(512, 256, 128, 64, 32).contains(p.asMap().get("units_1")), p.toString());
            assertTrue(List.of(0.0, 0.1, 0.2, 0.3).contains(p.asMap().get("input_dropout")), p.toString());
            double lr = p.decimal("learning_rate", -1);
            assertTrue(lr >= 1e-5 && lr <= 0.1, p.toString());
        }
        // Random search's maps, depth by depth: the same keys in the same order, values of the same types, so
        // that equal networks have equal keys whichever sampler drew them.
        Map<Integer, List<String>> randomOrder = new LinkedHashMap<>();
        Map<String, Class<?>> randomTypes = new LinkedHashMap<>();
        Sampler random = new RandomSampler(mlp(9));
        for (int i = 0; i < 200; i++) {
            TrialParams p = random.next(List.of()).orElseThrow();
            randomOrder.put(p.integer("hidden_layers", 0), new ArrayList<>(p.asMap().keySet()));
            p.asMap().forEach((k, v) -> randomTypes.put(k, v.getClass()));
        }
        for (TrialRecord t : history) {
            TrialParams p = t.params();
            assertEquals(randomOrder.get(p.integer("hidden_layers", 0)), new ArrayList<>(p.asMap().keySet()));
            p.asMap().forEach((k, v) -> assertEquals(randomTypes.get(k), v.getClass(), k));
        }
    }

    @Test
    void perLayerParametersAreModelledOnTheTrialsThatHaveThem() {
        // Every good trial has 256 units in its first layer; few trials have a fourth layer.
        List<TrialRecord> history = run(new TpeSampler(mlp(21)), 60);
        long units256 = history.subList(40, 60).stream()
                .filter(t -> Integer.valueOf(256).equals(t.params().asMap().get("units_1"))).count();
        assertTrue(units256 >= 8, "TPE learns units_1 = 256 (" + units256 + " of the last 20)");
        long twoLayers = history.subList(40, 60).stream().filter(t -> t.params().integer("hidden_layers", 0) == 2)
                .count();
        assertTrue(twoLayers >= 8, "and two layers (" + twoLayers + " of the last 20)");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aTinySpaceIsExhaustedWithoutRepeatsThenEmpty() {
        SpaceSpec spec = SpaceParser.parse(TINY, "tiny.yaml");
        int size = SpaceSize.finiteNetworks(spec).orElseThrow().intValueExact();
        assertEquals(2 * (2 + 4), size);
        TpeSampler sampler = new TpeSampler(spec);
        List<TrialRecord> history = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Optional<TrialParams> next; (next = sampler.next(history)).isPresent(); ) {
            TrialParams p = next.get();
            assertTrue(keys.add(p.key()), "no repeat: " + p);
            history.add(new TrialRecord(history.size() + 1, p, TrialState.COMPLETED, score(p), new double[]{0}));
        }
        assertEquals(size, history.size(), "every network once, then nothing");
        assertTrue(new TpeSampler(spec).next(history).isEmpty(), "a resumed run of an exhausted space: empty");
        // take() with one history: proposals count as running, so they differ, and stop at the space's size.
        assertEquals(size, new TpeSampler(spec).take(100).size());
    }

    @Test
    void runningTrialsAreBadResultsSoAnotherWorkerProposesSomethingElse() {
        SpaceSpec spec = mlp(13);
        List<TrialRecord> completed = run(new TpeSampler(spec), 20);
        TrialParams alone = new TpeSampler(spec).next(completed).orElseThrow();
        // Two workers are training networks; the best-scored ones, so TPE would like to go there.
        List<TrialRecord> withRunning = new ArrayList<>(completed);
        TrialParams best = completed.stream().max((x, y) -> Double.compare(x.score(), y.score())).orElseThrow()
                .params();
        List<TrialParams> running = new TpeSampler(spec).take(2, completed);
        withRunning.add(new TrialRecord(21, running.get(0), TrialState.RUNNING, null, new double[0]));
        withRunning.add(new TrialRecord(22, running.get(1), TrialState.RUNNING, null, new double[]{0.3}));
        TrialParams third = new TpeSampler(spec).next(withRunning).orElseThrow();
        assertFalse(running.contains(third), "not a network a worker is training");
        assertNotEquals(best, third);
        assertNotEquals(running.get(0), running.get(1), "two proposals from one history differ");
        assertEquals(alone, running.get(0), "the first proposal is the one-worker proposal");
        // Running trials change g(x): the proposal is not the one without them, only renumbered.
        List<TrialRecord> failedInstead = new ArrayList<>(completed);
        failedInstead.add(new TrialRecord(21, running.get(0), TrialState.FAILED, null, new double[0]));
        failedInstead.add(new TrialRecord(22, running.get(1), TrialState.FAILED, null, new double[0]));
        assertNotEquals(new TpeSampler(spec).next(failedInstead).orElseThrow(), third);
    }

    @Test
    void failedCancelledAndInterruptedTrialsAreNotLearnedFromButNotRepeated() {
        SpaceSpec spec = mlp(17);
        List<TrialRecord> completed = run(new TpeSampler(spec), 12);
        List<TrialRecord> withOthers = new ArrayList<>(completed);
        int n = 13;
        for (TrialState state : List.of(TrialState.FAILED, TrialState.CANCELLED, TrialState.INTERRUPTED)) {
            TrialParams p = new RandomSampler(spec.withSeed(n)).next(List.of()).orElseThrow();
            withOthers.add(new TrialRecord(n++, p, state, null, new double[0]));
        }
        List<TrialParams> proposals = new TpeSampler(spec).take(30, withOthers);
        assertEquals(30, proposals.size());
        for (TrialRecord t : withOthers) {
            assertFalse(proposals.contains(t.params()), "not a network the run has: " + t);
        }
    }

    /**
     * A search that has found its region: the acquisition keeps proposing the networks the run already has there.
     * The redraw must stay in the region (from l(x)), not fall back to random networks: here half of which have the
     * learning rate every good trial shows to be wrong. Falling back to random networks proposed the right one in
     * 104 of these 200 seeds; the best unseen of the networks drawn from l(x), in 177.
     */
    @Test
    void whenTheAcquisitionOnlyRepeatsKnownNetworksTheRedrawStaysNearTheGoodTrials() {
        int right = 0;
        int seeds = 200;
        for (int seed = 0; seed < seeds; seed++) {
            SpaceSpec spec = small(seed);
            List<TrialRecord> history = new ArrayList<>();
            // The good region, all of it tried: lr 0.001, the two widest layers, little dropout.
            for (double in : new double[]{0.0, 0.1}) {
                for (int units : new int[]{512, 256}) {
                    for (double dropout : new double[]{0.0, 0.1}) {
                        history.add(trial(history.size() + 1, in, units, dropout, 0.001,
                                0.89 - 0.01 * in - 0.00001 * (512 - units) - 0.01 * dropout));
                    }
                }
            }
            if (seed == 0) {
                // The hand-built networks are the samplers' own (equal keys), so TPE knows them as tried.
                List<TrialParams> whole = new RandomSampler(spec).take(1_000);
                assertEquals(200, whole.size());
                for (TrialRecord good : history) {
                    assertTrue(whole.contains(good.params()), "a network of the space: " + good.params());
                }
            }
            // Everything else tried is worse, the other learning rate most of all.
            for (TrialParams p : new RandomSampler(spec.withSeed(seed + 1000L)).take(40)) {
                if (history.stream().noneMatch(t -> t.params().equals(p))) {
                    history.add(new TrialRecord(history.size() + 1, p, TrialState.COMPLETED,
                            p.decimal("learning_rate", 0) == 0.001 ? 0.85 : 0.80, new double[]{0}));
                }
            }
            TrialParams next = new TpeSampler(spec).next(history).orElseThrow();
            assertTrue(history.stream().noneMatch(t -> t.params().equals(next)), "not a repeat");
            if (next.decimal("learning_rate", 0) == 0.001) {
                right++;
            }
        }
        assertTrue(right >= 0.75 * seeds, "proposals with the good trials' learning rate: " + right + " of " + seeds);
    }

    /**
     * As in Optuna, TPE's random start counts the run's finished trials, not each parameter's: once it is over, a
     * parameter only one trial has (units_4) is drawn by TPE from that trial. Here the best trial is the only one
     * with four layers, and its fourth layer has 32 units; a rule that kept units_4 random until ten trials had
     * four layers gave 32 in about a fifth of the four-layer proposals.
     */
    @Test
    void afterTheRandomStartAParameterFewTrialsHaveIsModelledFromThem() {
        int fourLayers = 0;
        int units32 = 0;
        for (int seed = 0; seed < 60; seed++) {
            SpaceSpec spec = mlp(seed);
            List<TrialRecord> history = new ArrayList<>();
            List<TrialParams> random = new RandomSampler(spec.withSeed(seed + 1000L)).take(200);
            for (TrialParams p : random) {
                if (history.size() < 10 && p.integer("hidden_layers", 0) < 4) {
                    history.add(new TrialRecord(history.size() + 1, p, TrialState.COMPLETED,
                            0.80 + 0.001 * history.size(), new double[]{0}));
                }
            }
            Map<String, Object> best = new LinkedHashMap<>(random.stream()
                    .filter(p -> p.integer("hidden_layers", 0) == 4).findFirst().orElseThrow().asMap());
            best.put("units_4", 32);
            history.add(new TrialRecord(11, TrialParams.fromMap(best), TrialState.COMPLETED, 0.90,
                    new double[]{0.90}));
            TrialParams next = new TpeSampler(spec).next(history).orElseThrow();
            if (next.integer("hidden_layers", 0) == 4) {
                fourLayers++;
                if (next.integer("units_4", 0) == 32) {
                    units32++;
                }
            }
        }
        assertTrue(fourLayers >= 15, "TPE proposes the best trial's four layers (" + fourLayers + " of 60)");
        assertTrue(units32 >= 0.8 * fourLayers, "and its fourth layer's 32 units: " + units32 + " of " + fourLayers);
    }

    private static TrialRecord trial(int number, double inputDropout, int units, double dropout,
                                     double learningRate, double score) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("input_dropout", inputDropout);
        values.put("hidden_layers", 1);
        values.put("units_1", units);
        values.put("dropout_1", dropout);
        values.put("optimizer", "adam");
        values.put("learning_rate", learningRate);
        return new TrialRecord(number, TrialParams.fromMap(values), TrialState.COMPLETED, score,
                new double[]{score});
    }
}
