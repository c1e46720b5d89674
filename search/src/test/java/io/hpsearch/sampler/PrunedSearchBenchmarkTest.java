package io.hpsearch.sampler;

import io.hpsearch.pruner.Pruner;
import io.hpsearch.pruner.SuccessiveHalvingPruner;
import io.hpsearch.store.Objective;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import static io.hpsearch.sampler.SyntheticObjective.median;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Samplers and pruners together without training, as bench/search measures them with training: searches on
 * {@link SyntheticObjective}'s learning curves, each stopped once its trials have trained the same budget of
 * epochs (a pruned trial's epochs count, a trial still training at the budget is cut), and the epochs each needed
 * to reach random search's final median best. Deterministic: fixed seeds, noise keyed by network and epoch.
 */
class PrunedSearchBenchmarkTest {
    static final int SEEDS = 51;
    /** Epochs per search and per trial, as the benchmark on spaces/fashion-mlp.yaml (150, 10). */
    static final int BUDGET = 150;
    static final int EPOCHS = 10;
    /**
     * How much higher tpe+asha's median best must be than random+asha's. Calibrated here: tpe+asha 0.8636
     * (multivariate 0.8667) against random+asha's 0.8515 (+0.0121; 0.8669 before kernel widths counted the prior's
     * centre); a TPE blind to the history after its random start +0.0005: the margin is about half TPE's lead. Reaching random's median best is no test of the sampler: that target is low enough
     * for both pruned searches (58 and 45 epochs), and the blind TPE, random + ASHA on another random stream,
     * needs 45.
     */
    static final double TPE_MARGIN = 0.007;

    /** One search: the epochs consumed and the best score so far after each trial. */
    record Trajectory(int[] epochs, double[] best) {
        double finalBest() {
            return best[best.length - 1];
        }

        /** The epochs consumed when the best first reached {@code target}; infinity if it never did. */
        double epochsTo(double target) {
            for (int i = 0; i < best.length; i++) {
                if (best[i] >= target) {
                    return epochs[i];
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }

    /** One trial after another, each told to the sampler before the next is asked for (one worker). */
    static Trajectory search(Sampler sampler, Pruner pruner) {
        List<TrialRecord> history = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        List<Double> best = new ArrayList<>();
        int consumed = 0;
        double bestSoFar = Double.NEGATIVE_INFINITY;
        for (int number = 1; consumed < BUDGET; number++) {
            TrialParams p = sampler.next(List.copyOf(history)).orElseThrow();
            double[] values = new double[0];
            TrialState state = TrialState.COMPLETED;
            for (int e = 1; e <= EPOCHS; e++) {
                if (consumed == BUDGET) {
                    state = TrialState.CANCELLED; // cut by the budget: not learned from, as in a real run
                    break;
                }
                values = Arrays.copyOf(values, e);
                values[e - 1] = SyntheticObjective.value(p, e);
                consumed++;
                if (e < EPOCHS && pruner.prune(new TrialRecord(number, p, TrialState.RUNNING, null, values),
                        history)) {
                    state = TrialState.PRUNED;
                    break;
                }
            }
            // A completed trial keeps its best epoch (early stopping restores it); a pruned one its last value.
            Double score = switch (state) {
                case COMPLETED -> Arrays.stream(values).max().orElseThrow();
                case PRUNED -> values[values.length - 1];
                default -> null;
            };
            history.add(new TrialRecord(number, p, state, score, values));
            if (values.length > 0) {
                bestSoFar = Math.max(bestSoFar, Arrays.stream(values).max().orElseThrow());
            }
            epochs.add(consumed);
            best.add(bestSoFar);
        }
        return new Trajectory(epochs.stream().mapToInt(Integer::intValue).toArray(),
                best.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static List<Trajectory> searches(LongFunction<Sampler> sampler, Supplier<Pruner> pruner) {
        List<Trajectory> out = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            out.add(search(sampler.apply(seed), pruner.get()));
        }
        return out;
    }

    static Pruner asha() {
        return new SuccessiveHalvingPruner(1, 3, 0, 0, Objective.VAL_ACCURACY);
    }

    /** The median over seeds of the epochs to {@code target} (never counts as more than any). */
    static double medianEpochsTo(List<Trajectory> runs, double target) {
        return median(runs.stream().mapToDouble(t -> t.epochsTo(target)).toArray());
    }

    static double medianBest(List<Trajectory> runs) {
        return median(runs.stream().mapToDouble(Trajectory::finalBest).toArray());
    }

    @Test
    void prunedSearchesReachRandomSearchsMedianBestInHalfItsEpochsAndTpeLearnsFromPrunedTrials() {
        long start = System.nanoTime();
        Map<String, List<Trajectory>> kinds = new LinkedHashMap<>();
        kinds.put("random", searches(seed -> new RandomSampler(SyntheticObjective.space(seed)), () -> Pruner.NONE));
        kinds.put("tpe", searches(seed -> new TpeSampler(SyntheticObjective.space(seed)), () -> Pruner.NONE));
        kinds.put("random+asha", searches(seed -> new RandomSampler(SyntheticObjective.space(seed)),
                PrunedSearchBenchmarkTest::asha));
        kinds.put("tpe+asha", searches(seed -> new TpeSampler(SyntheticObjective.space(seed)),
                PrunedSearchBenchmarkTest::asha));
        kinds.put("tpe-multivariate+asha", searches(seed -> new TpeSampler(SyntheticObjective.space(seed,
                "tpe: {multivariate: true}\n")), PrunedSearchBenchmarkTest::asha));
        // Broken: ASHA that promotes the worst third (it reads accuracies as losses).
        kinds.put("random+inverted asha", searches(seed -> new RandomSampler(SyntheticObjective.space(seed)),
                () -> new SuccessiveHalvingPruner(1, 3, 0, 0, Objective.VAL_LOSS)));
        // Broken: TPE that sees no finished trial once its random start is over.
        kinds.put("blind tpe+asha", searches(seed -> {
            Sampler tpe = new TpeSampler(SyntheticObjective.space(seed));
            return trials -> tpe.next(trials.size() < 10 ? trials : List.of());
        }, PrunedSearchBenchmarkTest::asha));
        double target = medianBest(kinds.get("random"));
        Map<String, Double> epochsTo = new LinkedHashMap<>();
        Map<String, Double> medianBest = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder(String.format("synthetic MLP learning curves, %d seeds, %d epochs "
                + "per search, %d per trial; random search's final median best %.4f:%n", SEEDS, BUDGET, EPOCHS,
                target));
        kinds.forEach((kind, runs) -> {
            epochsTo.put(kind, medianEpochsTo(runs, target));
            medianBest.put(kind, medianBest(runs));
            report.append(String.format("  %-12s median best %.4f, median epochs to random's median best %s, "
                            + "median trials %.0f%n", kind,
                    medianBest.get(kind), epochsTo.get(kind),
                    median(runs.stream().mapToDouble(t -> t.epochs().length).toArray())));
        });
        report.append(String.format("  %.1f s", (System.nanoTime() - start) / 1e9));
        System.out.println(report);
        for (String kind : List.of("random+asha", "tpe+asha", "tpe-multivariate+asha")) {
            assertTrue(epochsTo.get(kind) <= BUDGET / 2, kind + " needs " + epochsTo.get(kind)
                    + " epochs to random's median best, more than half the budget\n" + report);
        }
        assertTrue(epochsTo.get("random+inverted asha") > BUDGET / 2,
                "ASHA promoting the worst trials must fail the epochs check\n" + report);
        for (String kind : List.of("tpe+asha", "tpe-multivariate+asha")) {
            assertTrue(medianBest.get(kind) >= medianBest.get("random+asha") + TPE_MARGIN,
                    kind + " must beat random+asha's median best by " + TPE_MARGIN + "\n" + report);
        }
        assertTrue(medianBest.get("blind tpe+asha") < medianBest.get("random+asha") + TPE_MARGIN,
                "TPE ignoring the history must fail the margin\n" + report);
    }
}
