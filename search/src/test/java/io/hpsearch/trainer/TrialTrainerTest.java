package io.hpsearch.trainer;

import io.hpsearch.space.EarlyStopping;
import io.hpsearch.space.TrainingSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.Objective;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training on small slices of the real data: seeds, early stopping, the CNN, augmentation. */
class TrialTrainerTest {
    private static FashionSlice data;

    @BeforeAll
    static void load() {
        data = FashionSlice.of(600, 400);
        NativeThreads.configure(1);
    }

    private static TrainingSpec training(int epochs, Optional<EarlyStopping> early,
                                         Optional<TrainingSpec.Augment> augment) {
        return new TrainingSpec(epochs, 64, 0.2, 0, 1, early, augment);
    }

    private static TrialTrainer trainer() {
        return data.trainer();
    }

    private static TrialTrainer.Result train(TrialParams params, long seed, TrainingSpec spec) {
        return trainer().train(params, seed, spec, metrics -> { }, () -> false);
    }

    @Test
    void theSameSeedGivesTheSameEpochsWithOneThread() {
        assertReproducible(TestParams.mlp(0.1, List.of(64, 32), List.of(0.2, 0.0)));
    }

    @Test
    void theSameSeedGivesTheSameCnnEpochsWithOneThread() {
        assertReproducible(TestParams.referenceCnn());
    }

    private static void assertReproducible(TrialParams params) {
        TrainingSpec spec = training(2, Optional.empty(), Optional.of(new TrainingSpec.Augment(2, true)));

        List<EpochMetrics> a = train(params, 7, spec).epochs();
        List<EpochMetrics> b = train(params, 7, spec).epochs();
        List<EpochMetrics> c = train(params, 8, spec).epochs();

        assertEquals(a.stream().map(EpochMetrics::valLoss).toList(), b.stream().map(EpochMetrics::valLoss).toList());
        assertEquals(a.stream().map(EpochMetrics::trainLoss).toList(),
                b.stream().map(EpochMetrics::trainLoss).toList());
        assertNotEquals(a.get(1).valLoss(), c.get(1).valLoss());
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndKeepsTheBestEpochsWeights() {
        TrialParams params = TestParams.mlp(0.0, List.of(64), List.of(0.0));
        // No later epoch can beat the first by 10 in loss: training stops after 1 + patience epochs.
        TrainingSpec spec = training(10, Optional.of(new EarlyStopping(2, 10.0, Objective.VAL_LOSS)),
                Optional.empty());

        TrialTrainer.Result result = train(params, 3, spec);

        assertEquals(3, result.stoppedEpoch());
        assertEquals(1, result.bestEpoch());
        double[] kept = trainer().lossAndAccuracy(result.network(), data.validation());
        assertEquals(result.epochs().get(0).valLoss(), kept[0], 1e-6, "the network has epoch 1's weights again");
        assertEquals(result.epochs().get(0).valAccuracy(), result.best().valAccuracy());
    }

    @Test
    void withoutEarlyStoppingTheLastEpochCounts() {
        TrialTrainer.Result result = train(TestParams.mlp(0.0, List.of(32), List.of(0.0)), 3,
                training(2, Optional.empty(), Optional.empty()));
        assertEquals(2, result.bestEpoch());
        assertEquals(2, result.stoppedEpoch());
    }

    @Test
    void theReferenceCnnTrainsAndLearns() {
        TrialTrainer.Result result = train(TestParams.referenceCnn(), 1, training(1, Optional.empty(), Optional.empty()));

        assertTrue(Double.isFinite(result.best().trainLoss()));
        assertTrue(result.best().valAccuracy() > 0.2, "better than chance after one epoch of 600 images: "
                + result.best().valAccuracy());
        assertTrue(Arrays.stream(result.network().layers()).filter(l -> l instanceof ConvolutionLayer)
                .allMatch(l -> l.getHelper() instanceof MKLDNNConvHelper), "trained through the fast convolution path");
    }

    private static TrialParams scheduled(TrialParams params, String schedule) {
        Map<String, Object> v = new LinkedHashMap<>(params.values());
        v.put("learning_rate_schedule", schedule);
        return new TrialParams(params.type(), v);
    }

    @Test
    void aScheduledLearningRateFallsFromTheRateToZeroOverThePlannedMinibatches() {
        // 600 examples in minibatches of 64: 10 a epoch, 30 in 3 epochs.
        TrainingSpec spec = training(3, Optional.empty(), Optional.empty());
        TrialParams mlp = TestParams.mlp(0.0, List.of(32), List.of(0.0));
        try (Net constant = train(mlp, 3, spec).network();
             Net cosine = train(scheduled(mlp, "cosine"), 3, spec).network();
             Net linear = train(scheduled(mlp, "linear"), 3, spec).network();
             Net graph = train(scheduled(TestParams.smallResnet(false), "cosine"), 3,
                     training(1, Optional.empty(), Optional.empty())).network()) {
            assertEquals(0.001, constant.learningRate(), 1e-12);
            // DL4J counted the 30 minibatches the trainer fed one by one: each schedule is at its end.
            assertEquals(0.001 * 0.5 * (1 + Math.cos(Math.PI * 29 / 30)), cosine.learningRate(), 1e-12,
                    "cosine: its last step (one per minibatch when there are fewer than 100)");
            assertEquals(0.0, linear.learningRate(), 1e-12);
            assertEquals(0.001 * 0.5 * (1 + Math.cos(Math.PI * 9 / 10)), graph.learningRate(), 1e-12,
                    "a residual network (a graph) follows its schedule too");
            // Same seed, one thread: only the rates differ (the first weights belong to a corner pixel, always 0).
            assertNotEquals(constant.params(), cosine.params(), "the schedule reached the updates");
        }
    }

    @Test
    void cosineIsAStaircaseOfAtMostAHundredSteps() {
        var schedule = LearningRates.cosine(0.01, 10_000);
        assertEquals(0.01, schedule.valueAt(0, 0), 1e-15);
        assertEquals(0.01, schedule.valueAt(99, 0), 1e-15, "the first step lasts 100 minibatches");
        assertEquals(0.005, schedule.valueAt(5_000, 0), 1e-15, "half way: half the rate");
        assertEquals(0.01 * 0.5 * (1 + Math.cos(Math.PI * 99 / 100)), schedule.valueAt(9_999, 0), 1e-15);
    }
}
