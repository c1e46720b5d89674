package io.hpsearch.sampler;

import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * A stand-in for training, to judge samplers without a GPU: a smooth score over a space shaped like the reference
 * MLP space (spaces/fashion-mlp.yaml, with a continuous log-scale learning rate and an l2), with a known optimum of
 * about 0.9: learning rate 3e-3, l2 1e-4, two hidden layers of 256 units, dropout 0.2, input dropout 0.1. A little
 * deterministic noise, keyed by the network, makes equal networks score equally, as a seeded training would.
 */
final class SyntheticObjective {
    static final String SPACE = """
            name: synthetic-mlp
            search: tpe
            seed: 1
            objective: val_accuracy
            model:
              type: mlp
              input_dropout: {min: 0.0, max: 0.3, step: 0.1}
              hidden_layers: {min: 1, max: 4}
              units: {choice: [512, 256, 128, 64, 32]}
              dropout: {min: 0.0, max: 0.4, step: 0.1}
              optimizer: adam
              l2: {min: 0.000001, max: 0.01, log: true}
              learning_rate: {min: 0.00001, max: 0.1, log: true}
            """;

    static final double OPTIMUM = 0.9;

    private SyntheticObjective() {
    }

    static SpaceSpec space(long seed) {
        return space(seed, "");
    }

    /** The space with {@code more} YAML appended (e.g. "tpe: {multivariate: true}"). */
    static SpaceSpec space(long seed, String more) {
        return SpaceParser.parse(SPACE + more, "synthetic-mlp.yaml").withSeed(seed);
    }

    /** The score, like a validation accuracy: at most about {@link #OPTIMUM}. */
    static double score(TrialParams p) {
        double s = OPTIMUM;
        s -= 0.04 * square(Math.log10(p.decimal("learning_rate", 1) / 3e-3));
        s -= 0.01 * square(Math.log10(p.decimal("l2", 1) / 1e-4));
        s -= 0.3 * square(p.decimal("input_dropout", 0) - 0.1);
        int depth = p.integer("hidden_layers", 0);
        s -= 0.02 * Math.abs(depth - 2);
        for (int i = 1; i <= depth; i++) {
            // Per layer, averaged so that depth itself is judged by the term above.
            s -= 0.03 / depth * square(Math.log(p.integer("units_" + i, 1) / 256.0) / Math.log(2));
            s -= 0.3 / depth * square(p.decimal("dropout_" + i, 0) - 0.2);
        }
        return s + 0.002 * new Random(p.key().hashCode()).nextGaussian();
    }

    /**
     * The score after {@code epoch} epochs (1-based): a learning curve rising to {@link #score} (reached only in
     * the limit), faster the larger the learning rate, with a little noise per epoch. As in real training, the
     * first epochs favour rates above the best one (1e-2 leads 3e-3 for three epochs and trails it from the fourth),
     * so a pruner that judges early is sometimes wrong.
     */
    static double value(TrialParams p, int epoch) {
        double speed = Math.sqrt(p.decimal("learning_rate", 1) / 3e-3);
        double noise = 0.003 * new Random(31L * p.key().hashCode() + epoch).nextGaussian();
        return score(p) - 0.12 / (1 + speed * epoch) + noise;
    }

    private static double square(double x) {
        return x * x;
    }

    /**
     * The best score of a run of {@code trials} sequential trials, each completed before the next is asked for;
     * {@code historySeen} maps the run's trials to what the sampler is shown.
     */
    static double bestOf(Sampler sampler, int trials, java.util.function.UnaryOperator<List<TrialRecord>> historySeen) {
        List<TrialRecord> history = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 1; i <= trials; i++) {
            TrialParams p = sampler.next(historySeen.apply(List.copyOf(history))).orElseThrow();
            double s = score(p);
            best = Math.max(best, s);
            history.add(new TrialRecord(i, p, TrialState.COMPLETED, s, new double[]{s}));
        }
        return best;
    }

    /** The median over {@code seeds} runs (seeds 1..n) of their best scores. */
    static double medianBest(int seeds, int trials, LongFunction<Sampler> sampler,
                             java.util.function.UnaryOperator<List<TrialRecord>> historySeen) {
        double[] best = new double[seeds];
        for (int seed = 1; seed <= seeds; seed++) {
            best[seed - 1] = bestOf(sampler.apply(seed), trials, historySeen);
        }
        return median(best);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
