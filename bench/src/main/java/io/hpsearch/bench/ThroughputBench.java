package io.hpsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.runner.Calibration;
import io.hpsearch.trainer.OneDnn;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 5's throughput benchmark, every contender side by side in one process: the sgemm roofline, a plain DL4J
 * loop per network (default ND4J threads and one thread), hpsearch with one worker and one per core, and Arbiter's
 * runner at the same concurrency. Writes every figure to a JSON file (bench/throughput/report.py tabulates it).
 *
 * <p>Usage: {@code ThroughputBench DATA_DIR SPACE_YAML OUT_JSON}
 */
public final class ThroughputBench {
    private ThroughputBench() {
    }

    /** The workload's space for one epoch on 2,000 training examples. */
    private static Workload warmUp(Workload workload) throws IOException {
        Path space = Files.createTempFile("hpsearch-warm-up", ".yaml");
        try {
            Files.writeString(space, workload.yaml.replace("epochs: 2,", "epochs: 1, train_limit: 2000,"));
            return new Workload(space, workload.data);
        } finally {
            Files.delete(space);
        }
    }

    public static void main(String[] args) throws IOException {
        OneDnn.selectNatives();
        if (args.length != 3) {
            System.err.println("usage: ThroughputBench DATA_DIR SPACE_YAML OUT_JSON");
            System.exit(2);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int defaultThreads = Nd4j.getEnvironment().maxThreads();
        Workload workload = new Workload(Path.of(args[1]), FashionMnist.load(Path.of(args[0])));
        List<DataSet> train = workload.trainBatches();
        List<DataSet> validation = workload.validationBatches(4096);
        log("%d cores, ND4J default threads %d; %d networks x %d epochs x %,d training + %,d validation examples",
                cores, defaultThreads, workload.networks.size(), workload.epochs(), workload.split.train().size(),
                workload.split.validation().size());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", cores);
        out.put("cpu", Machine.cpuModel());
        out.put("cpu_flags", Machine.simdFlags());
        out.put("natives", System.getProperty("org.bytedeco.javacpp.platform.extension"));
        out.put("java", System.getProperty("java.version"));
        out.put("nd4j_default_threads", defaultThreads);
        out.put("space", "bench/throughput/" + workload.spaceFile.getFileName());
        out.put("epochs", workload.epochs());
        out.put("training_examples", workload.split.train().size());
        out.put("validation_examples", workload.split.validation().size());

        // Warm-up (JIT, native libraries, allocator) so that the first contender measured pays nothing extra.
        RawLoop.train(workload.networks.get(0), train.subList(0, Math.min(50, train.size())), validation.subList(0, 1), 1,
                1);

        Map<String, Double> roofline = new LinkedHashMap<>();
        for (int threads : List.of(1, defaultThreads)) {
            roofline.put(threads + "_threads", OnThread.call(threads, () -> Roofline.sgemmGflops(1024, 5)));
            log("sgemm 1024x1024, %d thread(s): %.1f GFLOPS", threads, roofline.get(threads + "_threads"));
        }
        out.put("sgemm_gflops", roofline);
        double mmuli = OnThread.call(1, () -> Roofline.mmuliGflops(1024, 5));
        log("the same product through mmuli (DL4J's dense layers' path), 1 thread: %.1f GFLOPS", mmuli);
        out.put("mmuli_gflops_1_thread", mmuli);

        List<Map<String, Object>> raw = new ArrayList<>();
        Map<Integer, Double> rawTotal = new LinkedHashMap<>();
        for (int threads : List.of(defaultThreads, 1)) {
            double total = 0;
            for (Workload.Network network : workload.networks) {
                RawLoop.Timing t = RawLoop.train(network, train, validation, workload.epochs(), threads);
                total += t.seconds();
                double examples = (double) workload.epochs() * workload.split.train().size();
                double gflops = workload.flops(network) / t.seconds() / 1e9;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("network", describe(network));
                row.put("threads", threads);
                row.put("seconds", t.seconds());
                row.put("examples_per_second", examples / t.seconds());
                row.put("gflops", gflops);
                row.put("fraction_of_sgemm", gflops / roofline.get(threads + "_threads"));
                row.put("validation_accuracy", t.validationAccuracy());
                raw.add(row);
                log("plain DL4J, %d thread(s), %-28s %6.1f s %8.0f examples/s %6.1f GFLOPS (%.0f %% of sgemm)",
                        threads, describe(network), t.seconds(), examples / t.seconds(), gflops,
                        100 * gflops / roofline.get(threads + "_threads"));
            }
            rawTotal.put(threads, total);
        }
        out.put("plain_dl4j", raw);
        out.put("plain_dl4j_total_seconds", rawTotal);

        // hpsearch's first run in a process pays for loading and compiling its own code (1.8 s of a 33-s run here,
        // OverheadProbe): warmed up as the plain loop was, so that the first hpsearch contender pays nothing extra.
        HpsearchRun.run(warmUp(workload), 1, 1);
        List<Map<String, Object>> hp = new ArrayList<>();
        for (int[] setting : new int[][]{{1, 1}, {cores, 1}, {1, defaultThreads}}) {
            int workers = setting[0];
            HpsearchRun.Timing t = HpsearchRun.run(workload, workers, setting[1]);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("workers", workers);
            row.put("threads_per_worker", t.threads());
            row.put("wall_seconds", t.wallSeconds());
            row.put("epoch_seconds_summed", t.epochSeconds());
            row.put("test_evaluation_seconds", t.testSeconds());
            row.put("training_window_seconds", t.trainingWindow());
            row.put("examples_per_second", workload.trainingExamples() / t.wallSeconds());
            row.put("gflops", workload.flops() / t.wallSeconds() / 1e9);
            row.put("overhead", t.overhead());
            row.put("overhead_busiest_worker", t.busiestWorkerOverhead());
            if (workers == 1 && t.threads() == 1) {
                row.put("overhead_vs_plain_loop", 1 - rawTotal.get(1) / t.wallSeconds());
                List<Map<String, Object>> perNetwork = new ArrayList<>();
                for (Workload.Network network : workload.networks) {
                    double seconds = t.epochSecondsByNetwork().get(network.params().key());
                    double gflops = workload.flops(network) / seconds / 1e9;
                    perNetwork.add(Map.of("network", describe(network), "epoch_seconds", seconds, "gflops", gflops,
                            "fraction_of_sgemm", gflops / roofline.get("1_threads")));
                }
                row.put("per_network", perNetwork);
            }
            hp.add(row);
            log("hpsearch %d worker(s) x %d thread: %.1f s wall, %.0f examples/s, overhead %.1f %% "
                            + "(epochs %.1f s summed, test evaluation %.1f s)", workers, t.threads(), t.wallSeconds(),
                    workload.trainingExamples() / t.wallSeconds(), 100 * t.overhead(), t.epochSeconds(),
                    t.testSeconds());
        }
        out.put("hpsearch", hp);

        List<Map<String, Object>> arbiter = new ArrayList<>();
        for (int[] setting : new int[][]{{1, 1}, {cores, 1}, {1, defaultThreads}}) {
            double seconds = ArbiterRun.run(workload, train, validation, setting[0], setting[1]);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("concurrent_tasks", setting[0]);
            row.put("threads", setting[1]);
            row.put("wall_seconds", seconds);
            row.put("examples_per_second", workload.trainingExamples() / seconds);
            arbiter.add(row);
            log("Arbiter LocalOptimizationRunner, %d task(s) x %d thread(s): %.1f s wall, %.0f examples/s",
                    setting[0], setting[1], seconds, workload.trainingExamples() / seconds);
        }
        out.put("arbiter", arbiter);

        // Issue 16: the split hpsearch chooses itself (measured afresh, the measuring in its wall time), for the six
        // networks and for a run of one network, beside the fixed splits and Arbiter's runner.
        Path cache = Files.createTempFile("hpsearch-threads", ".properties");
        Files.delete(cache);
        out.put("hpsearch_chosen", chosen(workload, cache));
        Workload one = new Workload(Path.of(args[1]).resolveSibling("one.yaml"), workload.data);
        List<DataSet> oneTrain = one.trainBatches();
        Map<String, Object> single = new LinkedHashMap<>();
        single.put("network", describe(one.networks.get(0)));
        List<Map<String, Object>> singleRows = new ArrayList<>();
        for (int threads : List.of(1, cores)) {
            HpsearchRun.Timing t = HpsearchRun.run(one, 1, threads);
            singleRows.add(Map.of("contender", "hpsearch", "workers", 1, "threads", threads,
                    "wall_seconds", t.wallSeconds()));
            log("one network, hpsearch 1 x %d: %.1f s", threads, t.wallSeconds());
            double a = ArbiterRun.run(one, oneTrain, validation, 1, threads);
            singleRows.add(Map.of("contender", "arbiter", "workers", 1, "threads", threads, "wall_seconds", a));
            log("one network, Arbiter 1 x %d: %.1f s", threads, a);
        }
        single.put("fixed", singleRows);
        single.put("chosen", chosen(one, cache));
        out.put("one_network", single);
        Files.deleteIfExists(cache);

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(Path.of(args[2]).toFile(), out);
        log("wrote %s", args[2]);
    }

    /** hpsearch with the split it measures and chooses itself. */
    private static Map<String, Object> chosen(Workload workload, Path cache) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        HpsearchRun.Timing t = HpsearchRun.run(workload, new Calibration(null, null, cores, cache));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workers", t.workers());
        row.put("threads_per_worker", t.threads());
        row.put("wall_seconds", t.wallSeconds());
        row.put("examples_per_second", workload.trainingExamples() / t.wallSeconds());
        log("hpsearch, chosen %d x %d: %.1f s wall", t.workers(), t.threads(), t.wallSeconds());
        return row;
    }

    static String describe(Workload.Network network) {
        return network.params().integer("hidden_layers", 0) + " layer(s): " + network.params().asMap().entrySet()
                .stream().filter(e -> e.getKey().startsWith("units_")).map(e -> String.valueOf(e.getValue()))
                .reduce((a, b) -> a + "-" + b).orElse("");
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
