package io.hpsearch.trainer;

import io.hpsearch.space.EarlyStopping;
import io.hpsearch.space.TrainingSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.Objective;
import io.hpsearch.trial.TrialParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trial continued from a checkpoint trains as if it had never stopped: the same epochs, to the last bit, and the
 * same final weights, for a stack and a graph, with a learning rate schedule, augmentation and batch norm.
 */
class TrainingCheckpointTest {
    private static FashionSlice data;

    @BeforeAll
    static void load() {
        data = FashionSlice.of(500, 300);
        NativeThreads.configure(1);
    }

    private static TrialTrainer trainer() {
        return data.trainer();
    }

    /** Without dropout (its masks come from ND4J's generator, which a checkpoint does not hold), cosine-annealed. */
    private static TrialParams withoutDropout(TrialParams params) {
        Map<String, Object> v = new LinkedHashMap<>(params.values());
        v.replaceAll((key, value) -> key.contains("dropout") ? 0.0 : value);
        v.put("learning_rate_schedule", "cosine");
        return new TrialParams(params.type(), v);
    }

    private static TrainingSpec spec(int epochs, Optional<EarlyStopping> early) {
        return new TrainingSpec(epochs, 64, 0.2, 0, 1, early, Optional.of(new TrainingSpec.Augment(2, true)));
    }

    /** Trains until the checkpoint after {@code stopAfter}, then stops as a killed process would: its bytes. */
    private static byte[] checkpointAfter(TrialParams params, TrainingSpec spec, int stopAfter) {
        AtomicReference<byte[]> kept = new AtomicReference<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void epochEnded(EpochMetrics metrics) {
            }

            @Override
            public void continuing(EpochMetrics metrics, Supplier<byte[]> checkpoint) {
                if (metrics.epoch() == stopAfter) {
                    kept.set(checkpoint.get());
                }
            }
        };
        assertThrows(CancellationException.class, () -> trainer().train(params, 5, spec, listener,
                () -> kept.get() != null, List.of()), "stopped in the epoch after the checkpoint");
        return kept.get();
    }

    private static void assertContinuesExactly(TrialParams params) {
        TrainingSpec spec = spec(4, Optional.empty());
        TrialTrainer.Result whole = trainer().train(params, 5, spec, m -> { }, () -> false);
        byte[] checkpoint = checkpointAfter(params, spec, 2);

        TrialTrainer.Result continued = trainer().train(params, 5, spec, m -> { }, () -> false, List.of(),
                Optional.of(checkpoint));

        assertEquals(withoutSeconds(whole.epochs()), withoutSeconds(continued.epochs()),
                "epochs 1-2 from the checkpoint, 3-4 trained again, all as the uninterrupted trial's");
        assertArrayEquals(whole.network().params().toFloatVector(), continued.network().params().toFloatVector());
        whole.network().close();
        continued.network().close();
    }

    private static List<List<Double>> withoutSeconds(List<EpochMetrics> epochs) {
        return epochs.stream().map(m -> List.of((double) m.epoch(), m.trainLoss(), m.valLoss(), m.valAccuracy()))
                .toList();
    }

    @Test
    void aStackContinuedFromItsCheckpointTrainsAsIfItHadNotStopped() {
        assertContinuesExactly(withoutDropout(TestParams.referenceCnn()));
    }

    @Test
    void aGraphContinuedFromItsCheckpointTrainsAsIfItHadNotStopped() {
        assertContinuesExactly(withoutDropout(TestParams.smallResnet(false)));
    }

    @Test
    void aWorkerWithAnotherSeedContinuesTheCheckpointAsTheFirstWouldHave() {
        // Workers that join a run draw other seeds; the checkpoint's weights and random stream replace the seed's.
        TrialParams params = withoutDropout(TestParams.mlp(0.0, List.of(32), List.of(0.0)));
        TrainingSpec spec = spec(4, Optional.empty());
        TrialTrainer.Result whole = trainer().train(params, 5, spec, m -> { }, () -> false);
        byte[] checkpoint = checkpointAfter(params, spec, 2);

        TrialTrainer.Result continued = trainer().train(params, 99, spec, m -> { }, () -> false, List.of(),
                Optional.of(checkpoint));

        assertEquals(withoutSeconds(whole.epochs()), withoutSeconds(continued.epochs()));
        whole.network().close();
        continued.network().close();
    }

    @Test
    void anOptimiserWithoutStateContinuesToo() {
        Map<String, Object> v = new LinkedHashMap<>(TestParams.mlp(0.0, List.of(32), List.of(0.0)).values());
        v.put("optimizer", "sgd");
        v.put("learning_rate", 0.05);
        assertContinuesExactly(withoutDropout(new TrialParams(io.hpsearch.space.ModelType.MLP, v)));
        v.put("optimizer", "nesterovs");
        assertContinuesExactly(withoutDropout(new TrialParams(io.hpsearch.space.ModelType.MLP, v)));
    }

    @Test
    void earlyStoppingsCountAndBestWeightsSurviveTheCheckpoint() {
        TrialParams params = withoutDropout(TestParams.mlp(0.0, List.of(32), List.of(0.0)));
        // No epoch beats the first by 10 in loss: with patience 2 the trial stops after epoch 3, keeping epoch 1.
        TrainingSpec spec = spec(8, Optional.of(new EarlyStopping(2, 10.0, Objective.VAL_LOSS)));
        TrialTrainer.Result whole = trainer().train(params, 5, spec, m -> { }, () -> false);
        byte[] checkpoint = checkpointAfter(params, spec, 2);

        TrialTrainer.Result continued = trainer().train(params, 5, spec, m -> { }, () -> false, List.of(),
                Optional.of(checkpoint));

        assertEquals(3, whole.stoppedEpoch());
        assertEquals(3, continued.stoppedEpoch(), "one more epoch without improvement, then it stops");
        assertEquals(1, continued.bestEpoch());
        assertEquals(withoutSeconds(whole.epochs()), withoutSeconds(continued.epochs()));
        assertEquals(continued.epochs().get(0).valLoss(),
                trainer().lossAndAccuracy(continued.network(), data.validation())[0], 1e-6,
                "the network has epoch 1's weights again");
        whole.network().close();
        continued.network().close();
    }

    @Test
    void noCheckpointIsOfferedAfterAnEpochTheTrialStopsAfter() {
        TrialParams params = withoutDropout(TestParams.mlp(0.0, List.of(32), List.of(0.0)));
        List<Integer> offered = new java.util.ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void epochEnded(EpochMetrics metrics) {
            }

            @Override
            public void continuing(EpochMetrics metrics, Supplier<byte[]> checkpoint) {
                offered.add(metrics.epoch());
            }
        };
        trainer().train(params, 5, spec(3, Optional.empty()), listener, () -> false, List.of()).network().close();
        trainer().train(params, 5, spec(8, Optional.of(new EarlyStopping(2, 10.0, Objective.VAL_LOSS))), listener,
                () -> false, List.of()).network().close();
        assertThrows(TrialPrunedException.class, () -> trainer().train(params, 5, spec(8, Optional.empty()), listener,
                () -> false, List.of(epochs -> epochs.size() == 2 ? EpochRule.Decision.PRUNE
                        : EpochRule.Decision.CONTINUE)));
        assertEquals(List.of(1, 2, 1, 2, 1), offered, "never after the last epoch, a stop or a prune");
    }

    @Test
    void aCheckpointOfAnotherNetworkOrNoneAtAllIsRefusedBeforeTraining() {
        TrialParams params = withoutDropout(TestParams.mlp(0.0, List.of(32), List.of(0.0)));
        byte[] checkpoint = checkpointAfter(params, spec(3, Optional.empty()), 1);
        TrialParams wider = withoutDropout(TestParams.mlp(0.0, List.of(48), List.of(0.0)));

        CheckpointException other = assertThrows(CheckpointException.class, () -> trainer().train(wider, 5,
                spec(3, Optional.empty()), m -> { }, () -> false, List.of(), Optional.of(checkpoint)));
        assertTrue(other.getMessage().contains("another network"), other.getMessage());
        CheckpointException garbage = assertThrows(CheckpointException.class, () -> trainer().train(params, 5,
                spec(3, Optional.empty()), m -> { }, () -> false, List.of(), Optional.of(new byte[]{1, 2, 3, 4, 5})));
        assertTrue(garbage.getMessage().contains("not an hpsearch training checkpoint"), garbage.getMessage());
        byte[] cut = java.util.Arrays.copyOf(checkpoint, checkpoint.length / 2);
        CheckpointException truncated = assertThrows(CheckpointException.class, () -> trainer().train(params, 5,
                spec(3, Optional.empty()), m -> { }, () -> false, List.of(), Optional.of(cut)));
        assertTrue(truncated.getMessage().contains("cannot be read") || truncated.getMessage().contains("damaged"),
                truncated.getMessage());
        // A damaged length is refused before anything is allocated for it.
        byte[] huge = checkpoint.clone();
        java.nio.ByteBuffer.wrap(huge).putInt(16, Integer.MAX_VALUE); // the epoch count, after magic, layout, epochs
        CheckpointException damaged = assertThrows(CheckpointException.class, () -> trainer().train(params, 5,
                spec(3, Optional.empty()), m -> { }, () -> false, List.of(), Optional.of(huge)));
        assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());
        // So is a damaged array shape: the weights' first dimension made 2^40 (the weights follow the header, the
        // epochs' metrics of 40 bytes each, and the minibatch count; then a type byte and the rank).
        byte[] wide = checkpoint.clone();
        int weights = 20 + 40 * java.nio.ByteBuffer.wrap(wide).getInt(16) + 4;
        java.nio.ByteBuffer.wrap(wide).putLong(weights + 5, 1L << 40);
        CheckpointException shape = assertThrows(CheckpointException.class, () -> trainer().train(params, 5,
                spec(3, Optional.empty()), m -> { }, () -> false, List.of(), Optional.of(wide)));
        assertTrue(shape.getMessage().contains("damaged (an array dimension of 1099511627776"), shape.getMessage());

        // Same weight count, another network: relu against tanh.
        Map<String, Object> v = new LinkedHashMap<>(params.values());
        v.put("activation", "tanh");
        CheckpointException sameSize = assertThrows(CheckpointException.class, () -> trainer().train(
                new TrialParams(params.type(), v), 5, spec(3, Optional.empty()), m -> { }, () -> false, List.of(),
                Optional.of(checkpoint)));
        assertTrue(sameSize.getMessage().contains("another network"), sameSize.getMessage());
    }
}
