package io.hpsearch.bench;

import io.hpsearch.data.FashionMnist;
import io.hpsearch.data.Split;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trainer.Net;
import io.hpsearch.trainer.NetworkFactory;
import io.hpsearch.trial.TrialParams;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;

/**
 * Issue 16's probe: where does a second native thread go? Trains the one network of a space for a number of
 * minibatches on W threads side by side, each with the given OpenBLAS (gemm) and OpenMP (libnd4j's own ops, oneDNN)
 * thread counts set separately, and prints the examples per second and how much CPU the process burned per second of
 * wall time, by thread: a thread that burns CPU while the work waits is spinning. Environment variables such as
 * OMP_WAIT_POLICY reach libgomp only at start, so bench/threads/probe.sh runs one JVM per setting.
 *
 * <p>Usage: {@code ThreadProbe DATA_DIR SPACE_YAML BATCHES WORKERS BLAS_THREADS OMP_THREADS}
 */
public final class ThreadProbe {
    private ThreadProbe() {
    }

    public static void main(String[] args) throws Exception {
        // Not OneDnn.selectNatives(): that also quiets OpenMP, and the probe measures what its environment says.
        if (System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
            System.setProperty("org.bytedeco.javacpp.platform.extension", "-onednn");
        }
        if (args.length != 6) {
            System.err.println("usage: ThreadProbe DATA_DIR SPACE_YAML BATCHES WORKERS BLAS_THREADS OMP_THREADS");
            System.exit(2);
        }
        SpaceSpec spec = SpaceParser.parse(Path.of(args[1]));
        int batches = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        int blasThreads = Integer.parseInt(args[4]);
        int ompThreads = Integer.parseInt(args[5]);
        FashionMnist data = FashionMnist.load(Path.of(args[0]));
        Split split = Split.stratified(data.train(), 0.2, 1, batches * spec.training().batchSize() + 1);
        List<DataSet> train = Workload.batches(split.train(), spec.training().batchSize());
        TrialParams params = Samplers.forSpace(spec).next(List.of()).orElseThrow();

        CyclicBarrier start = new CyclicBarrier(workers + 1);
        CyclicBarrier end = new CyclicBarrier(workers + 1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(() -> {
                Nd4j.getEnvironment().setMaxThreads(ompThreads);
                Nd4j.getEnvironment().setMaxMasterThreads(ompThreads);
                NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(ompThreads);
                Nd4j.factory().blas().setMaxThreads(blasThreads);
                Net net = NetworkFactory.network(params, 7, Workload.FASHION, FashionMnist.CLASS_NAMES.size());
                for (int b = 0; b < Math.min(20, train.size()); b++) { // warm-up: JIT, workspaces, thread pools
                    net.fit(train.get(b));
                }
                await(start);
                for (DataSet batch : train) {
                    net.fit(batch);
                }
                await(end);
                net.close();
            }, "probe-" + w);
            t.start();
            threads.add(t);
        }
        await(start);
        long[] cpuBefore = taskCpu();
        long wallStart = System.nanoTime();
        await(end);
        double wall = (System.nanoTime() - wallStart) / 1e9;
        long[] cpuAfter = taskCpu();
        for (Thread t : threads) {
            t.join();
        }
        double examples = (double) workers * split.train().size();
        double cpu = (cpuAfter[0] - cpuBefore[0]) / TICKS;
        System.out.printf(Locale.ROOT, "{\"workers\": %d, \"blas_threads\": %d, \"omp_threads\": %d, "
                        + "\"omp_wait_policy\": \"%s\", \"examples_per_second\": %.0f, \"wall_seconds\": %.2f, "
                        + "\"cpu_per_wall\": %.2f, \"busy_threads\": %d}%n", workers, blasThreads, ompThreads,
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "default"), examples / wall, wall, cpu / wall,
                busyThreads(cpuBefore, cpuAfter, wall));
    }

    private static final double TICKS = 100.0; // USER_HZ on Linux

    /** The process's CPU ticks, then each thread's, in /proc/self/task order. */
    private static long[] taskCpu() throws IOException {
        List<Long> ticks = new ArrayList<>();
        ticks.add(ticks(Path.of("/proc/self/stat")));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.sorted().toList()) {
                try {
                    ticks.add(Long.parseLong(task.getFileName().toString()) * 1_000_000_000L
                            + ticks(task.resolve("stat")));
                } catch (IOException e) {
                    // the thread ended between listing and reading: it burns nothing now
                }
            }
        }
        return ticks.stream().mapToLong(Long::longValue).toArray();
    }

    private static long ticks(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    /** Threads that burned more than a tenth of the wall time in CPU during the measurement. */
    private static int busyThreads(long[] before, long[] after, double wall) {
        java.util.Map<Long, Long> start = new java.util.HashMap<>();
        for (int i = 1; i < before.length; i++) {
            start.put(before[i] / 1_000_000_000L, before[i] % 1_000_000_000L);
        }
        int busy = 0;
        for (int i = 1; i < after.length; i++) {
            long used = after[i] % 1_000_000_000L - start.getOrDefault(after[i] / 1_000_000_000L, 0L);
            if (used / TICKS > 0.1 * wall) {
                busy++;
            }
        }
        return busy;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
