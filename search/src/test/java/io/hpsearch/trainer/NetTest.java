package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.space.ModelType;
import io.hpsearch.space.TrainingSpec;
import io.hpsearch.trial.TrialParams;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network's native memory: closing one frees it with one garbage collection, not DL4J's two; one with
 * batch-normalised convolutions stays bounded, without collections through hpsearch's batch normalisation and with
 * them through DL4J's.
 */
class NetTest {
    @Test
    void closingATrainedStackFreesItsArraysAndWorkspacesWithOneCollection() {
        NativeThreads.configure(1);
        FashionMnist data = FashionMnist.load(Path.of("../testdata/fashion-mnist"));
        Examples train = data.train().rows(IntStream.range(0, 256).toArray());
        TrialTrainer trainer = new TrialTrainer(train, train, TestParams.FASHION, 10);
        Net network = trainer.train(TestParams.mlp(0.1, List.of(64, 32), List.of(0.2, 0.0)), 7,
                new TrainingSpec(1, 64, 0.2, 0, 1, Optional.empty(), Optional.empty()), m -> { }, () -> false)
                .network();
        INDArray params = network.params();
        assertTrue(Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().size() > 0,
                "training left no workspace to free: the test would prove nothing");

        long collections = collections();
        network.close();

        // DL4J's own close() runs System.gc() twice: full collections of a heap holding the data, 0.2-0.8 s a
        // trial (bench/throughput's overhead). One frees what the trial dropped, or none when one just ran.
        assertTrue(collections() - collections <= 1, "closing the network ran more than one garbage collection");
        assertTrue(params.wasClosed(), "the weights' native memory was not freed");
        assertEquals(0, Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().size(),
                "the thread's workspaces were not destroyed");
    }

    @Test
    void aCollectionIsSkippedWhenOneRanRecentlyByAnyone() {
        System.gc();
        long collections = collections();
        assertFalse(Net.collectUnlessWithin(Duration.ofHours(1)), "a collection just ran");
        assertEquals(collections, collections());
        assertTrue(Net.collectUnlessWithin(Duration.ZERO), "none ran in the last 0 s");
        assertEquals(collections + 1, collections());
    }

    @Test
    void ofTwoNetworksClosedOneAfterTheOtherOnlyTheFirstCollects() throws InterruptedException {
        Net first = trainedMlp();
        Net second = trainedMlp();
        // Past the interval since any collection: the first close has one to run, the second finds it recent.
        Thread.sleep(Net.CLOSE_INTERVAL.plusMillis(500).toMillis());
        long before = collections();
        first.close();
        assertEquals(before + 1, collections(), "the first close ran no collection");
        second.close();
        assertEquals(before + 1, collections(), "the second close collected again within the interval");
    }

    @Test
    void aScheduleCarriesTheUpdatersStateOverAndFreesTheArrayItReplaces() {
        try (Net net = trainedMlp()) {
            INDArray before = net.updaterState();
            INDArray moments = before.dup();
            net.setLearningRate(LearningRates.cosine(0.01, 10_000));
            INDArray after = net.updaterState();
            assertNotSame(before, after, "DL4J kept the array: nothing to free, and the test would prove nothing");
            assertTrue(before.wasClosed(), "the replaced updater state was left for the garbage collector");
            assertEquals(moments, after, "Adam's moments were not carried over");
            assertEquals(0.01, net.learningRate(), 1e-9);
        }
    }

    private static Net trainedMlp() {
        FashionMnist data = FashionMnist.load(Path.of("../testdata/fashion-mnist"));
        Examples train = data.train().rows(IntStream.range(0, 128).toArray());
        return new TrialTrainer(train, train, TestParams.FASHION, 10).train(TestParams.mlp(0.0, List.of(16),
                List.of(0.0)), 1, new TrainingSpec(1, 64, 0.2, 0, 1, Optional.empty(), Optional.empty()), m -> { },
                () -> false).network();
    }

    @Test
    void aCnnWithBatchNormalisedConvolutionsKeepsItsNativeMemoryWhileItInfers() {
        NativeThreads.configure(1);
        try (Net net = NetworkFactory.network(batchNormalisedCnn(), 1, TestParams.FASHION, 10)) {
            assertFalse(net.leavesArrays(), "hpsearch's batch normalisation was not attached");
            INDArray images = Nd4j.rand(DataType.FLOAT, 256, 784);
            // With DL4J's own batch normalisation each batch of 256 left ~200 MB behind (a test evaluation of such
            // a CNN passed 9 GB): 30 batches would add ~6 GB. FastBatchNorm leaves nothing, so the network has no
            // periodic collections: measured 37 MiB over 180 batches (allocator and workspace growth).
            long grew = ResidentGrowth.kib(1, 30, () -> net.output(images));
            assertTrue(grew < 1024 * 1024, "resident memory grew by " + grew / 1024 + " MiB over 30 batches");
        }
    }

    @Test
    void aCnnWhoseBatchNormHelperFailedIsHeldByPeriodicCollections() throws ReflectiveOperationException {
        NativeThreads.configure(1);
        try (Net net = NetworkFactory.network(batchNormalisedCnn(), 1, TestParams.FASHION, 10)) {
            // What DL4J does after the helper throws once: it keeps the helper, counts the failure and, fallback
            // allowed (the default), normalises on its own path from then on.
            Field failures = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class
                    .getDeclaredField("helperCountFail");
            failures.setAccessible(true);
            for (org.deeplearning4j.nn.api.Layer layer : net.layers()) {
                if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                    assertTrue(layer.getHelper() instanceof FastBatchNorm);
                    failures.setInt(layer, 1);
                }
            }
            assertTrue(net.leavesArrays());
            INDArray images = Nd4j.rand(DataType.FLOAT, 128, 784);
            // ~150 MB left per batch of 128 (measured): 20 batches would add ~3 GB; a collection every 3 s leaves up
            // to 3 s of batches waiting for it, and the memory it frees is reused. Each batch takes at least 0.6 s,
            // so that a faster machine fits no more of them into those 3 s (at most 6: ~0.9 GB). Unpaced, CI's
            // machine fitted about 11 (1,704 MiB).
            long grew = ResidentGrowth.kib(1, 20, () -> paced(Duration.ofMillis(600), () -> net.output(images)));
            assertTrue(grew < 1536 * 1024, "resident memory grew by " + grew / 1024 + " MiB over 20 batches");
        }
    }

    /** Runs {@code step}, then sleeps what is left of {@code least}. */
    private static void paced(Duration least, Runnable step) {
        long end = System.nanoTime() + least.toNanos();
        step.run();
        long left = end - System.nanoTime();
        if (left > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Two blocks of two 3x3 convolutions (64 and 128 filters), each block batch-normalised. */
    private static TrialParams batchNormalisedCnn() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("conv_blocks", 2);
        v.put("convs_per_block", 2);
        v.put("kernel", 3);
        v.put("filters_1", 64);
        v.put("conv_batch_norm_1", true);
        v.put("filters_2", 128);
        v.put("conv_batch_norm_2", true);
        v.put("dense_layers", 1);
        v.put("units_1", 64);
        v.put("optimizer", "adam");
        v.put("learning_rate", 0.001);
        return new TrialParams(ModelType.CNN, v);
    }

    /** Whole-heap collections only: a young collection the JVM runs on its own must not move the counts. */
    private static long collections() {
        return Net.wholeHeapCollections();
    }
}
