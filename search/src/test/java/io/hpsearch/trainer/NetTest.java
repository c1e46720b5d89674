package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.space.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing a trained network: what it frees, and that it frees it without a garbage collection. */
class NetTest {
    @Test
    void closingATrainedStackFreesItsArraysAndWorkspacesWithoutACollection() {
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

        // DL4J's own close() runs System.gc() twice: a full collection of a heap holding the data, 0.2-0.8 s a
        // trial (bench/throughput's overhead).
        assertEquals(collections, collections(), "closing the network ran a garbage collection");
        assertTrue(params.wasClosed(), "the weights' native memory was not freed");
        assertEquals(0, Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().size(),
                "the thread's workspaces were not destroyed");
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }
}
