package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import io.hpsearch.data.InputShape;
import io.hpsearch.trial.TrialParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures how fast a network trains on this machine with a given split of the cores: {@code workers} copies side by
 * side, each on a thread of its own with {@code threads} native threads, as a run's workers train. A few minibatches
 * each: the calibration that chooses a run's workers and threads (bench/README.md, "Threads").
 */
public final class ThroughputProbe {
    /** Minibatches each copy trains before the clock starts: JIT, workspaces and thread pools warm up. */
    private static final int WARM_UP_BATCHES = 3;
    /** At least this many timed minibatches per copy, however long they take. */
    private static final int MIN_BATCHES = 3;

    private ThroughputProbe() {
    }

    /**
     * Training examples per second, all copies together, over at least {@code measure} of wall time.
     *
     * @throws IllegalStateException when a copy fails to train (it is the network the run would train: the run
     *                               reports such failures per trial, so the caller falls back to a default)
     */
    public static double examplesPerSecond(TrialParams params, Examples train, InputShape shape, int classes,
                                           int batchSize, int workers, int threads, Duration measure) {
        int batch = Math.min(batchSize, train.size());
        CyclicBarrier start = new CyclicBarrier(workers);
        long[] examples = new long[workers];
        double[] seconds = new double[workers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> copies = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int copy = w;
            Thread t = new Thread(() -> {
                NativeThreads.configure(threads);
                int[] order = new int[train.size()];
                for (int i = 0; i < order.length; i++) {
                    order[i] = (i + copy * batch) % order.length; // each copy its own rows, as trials shuffle theirs
                }
                try (Net net = NetworkFactory.network(params, 1 + copy, shape, classes)) {
                    int next = 0;
                    for (int b = 0; b < WARM_UP_BATCHES; b++) {
                        net.fit(batchAt(train, order, next++, batch, classes));
                    }
                    start.await();
                    long begin = System.nanoTime();
                    long done = 0;
                    int n = 0;
                    while (n < MIN_BATCHES || System.nanoTime() - begin < measure.toNanos()) {
                        DataSet d = batchAt(train, order, next++, batch, classes);
                        net.fit(d);
                        done += d.numExamples();
                        n++;
                    }
                    examples[copy] = done;
                    seconds[copy] = (System.nanoTime() - begin) / 1e9;
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    start.reset(); // the others must not wait for this copy
                }
            }, "hpsearch-calibration-" + w);
            t.setDaemon(true);
            t.start();
            copies.add(t);
        }
        for (Thread t : copies) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the network failed to train while measuring: " + failure.get(),
                    failure.get());
        }
        double rate = 0;
        for (int w = 0; w < workers; w++) {
            rate += examples[w] / seconds[w];
        }
        return rate;
    }

    /**
     * This core's single-precision matrix-multiply rate, in floating-point operations a second: n x n products
     * through ND4J's gemm into a row-major array, on the threads ND4J is set to (in a run {@link NativeThreads} keeps
     * OpenBLAS on the calling thread), for about {@code time}, after three untimed ones. Calibration takes 30 ms of 256 x 256 products, enough to
     * tell a 190-GFLOPS core from a 70-GFLOPS one; bench/'s roofline takes seconds of 1024 x 1024 ones.
     */
    public static double gemmFlopsPerSecond(int n, Duration time) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        try {
            for (int i = 0; i < 3; i++) {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            }
            long reps = 0;
            long start = System.nanoTime();
            long now;
            do {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                reps++;
                now = System.nanoTime();
            } while (now - start < time.toNanos());
            return 2.0 * n * n * n * reps / ((now - start) / 1e9);
        } finally {
            a.close();
            b.close();
            c.close();
        }
    }

    private static DataSet batchAt(Examples train, int[] order, int index, int batch, int classes) {
        int batches = Math.max(1, order.length / batch);
        int from = (index % batches) * batch;
        return Batches.gather(train, order, from, Math.min(order.length, from + batch), classes, null);
    }
}
