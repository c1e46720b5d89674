package io.hpsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.trainer.Net;
import io.hpsearch.trainer.OneDnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hpsearch.bench.ThroughputBench.log;

/**
 * An MLP's training step two ways side by side in one process, on one ND4J thread: DL4J 1.0.0-M2.1's own
 * ({@code MultiLayerNetwork.fit}) and hpsearch's ({@code Net.fit} on a network given hpsearch's {@code FastDenseLayer}
 * by {@code OneDnn.attach}, which also steps Adam with {@code FastAdam}), training the six networks of
 * bench/throughput/space.yaml on the same minibatches. The two take turns, a round of minibatches each, so that a
 * busy machine slows both alike; each path's time per minibatch is the median over rounds.
 *
 * <p>Usage: {@code DenseBench DATA_DIR SPACE_YAML OUT_JSON BATCHES ROUNDS}
 */
public final class DenseBench {
    private DenseBench() {
    }

    public static void main(String[] args) throws IOException {
        OneDnn.selectNatives();
        if (args.length != 5) {
            System.err.println("usage: DenseBench DATA_DIR SPACE_YAML OUT_JSON BATCHES ROUNDS");
            System.exit(2);
        }
        Workload workload = new Workload(Path.of(args[1]), FashionMnist.load(Path.of(args[0])));
        int batches = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", Machine.cpuModel());
        out.put("natives", System.getProperty("org.bytedeco.javacpp.platform.extension"));
        out.put("java", System.getProperty("java.version"));
        out.put("space", "bench/throughput/" + workload.spaceFile.getFileName());
        out.put("batch_size", workload.batchSize());
        out.put("batches_per_round", batches);
        out.put("rounds", rounds);
        out.put("networks", OnThread.call(1, () -> {
            double sgemm = Roofline.sgemmGflops(1024, 3);
            out.put("sgemm_gflops_1_thread", sgemm);
            log("sgemm 1024x1024, 1 thread: %.1f GFLOPS", sgemm);
            List<DataSet> train = workload.trainBatches();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Workload.Network network : workload.networks) {
                rows.add(compare(network, train, batches, rounds, sgemm, workload.batchSize()));
            }
            return rows;
        }));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[2]).toFile(), out);
    }

    private static Map<String, Object> compare(Workload.Network network, List<DataSet> train, int batches, int rounds,
                                               double sgemm, int batchSize) {
        MultiLayerNetwork dl4j = new MultiLayerNetwork(network.conf().clone());
        dl4j.init();
        MultiLayerNetwork same = new MultiLayerNetwork(network.conf().clone());
        same.init();
        Net hpsearch = OneDnn.attach(Net.of(same)); // its dense layers become FastDenseLayers
        double[] dl4jMs = new double[rounds];
        double[] fastMs = new double[rounds];
        int next = 0;
        for (int round = -1; round < rounds; round++) { // round -1 warms both up and is not counted
            int from = next;
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                dl4j.fit(train.get((from + i) % train.size()));
            }
            long middle = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                hpsearch.fit(train.get((from + i) % train.size()));
            }
            long end = System.nanoTime();
            next = (from + batches) % train.size();
            if (round >= 0) {
                dl4jMs[round] = (middle - start) / 1e6 / batches;
                fastMs[round] = (end - middle) / 1e6 / batches;
            }
        }
        double d = median(dl4jMs);
        double f = median(fastMs);
        double flopsPerBatch = network.trainFlops() * batchSize;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("network", ThroughputBench.describe(network));
        row.put("dl4j_ms_per_batch", d);
        row.put("hpsearch_ms_per_batch", f);
        row.put("speedup", d / f);
        row.put("dl4j_fraction_of_sgemm", flopsPerBatch / (d / 1e3) / 1e9 / sgemm);
        row.put("hpsearch_fraction_of_sgemm", flopsPerBatch / (f / 1e3) / 1e9 / sgemm);
        log("%-28s DL4J %6.2f ms, hpsearch %6.2f ms a minibatch: %.2fx (%.0f %% and %.0f %% of sgemm)",
                row.get("network"), d, f, d / f, 100 * (double) row.get("dl4j_fraction_of_sgemm"),
                100 * (double) row.get("hpsearch_fraction_of_sgemm"));
        dl4j.close();
        hpsearch.close();
        return row;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
