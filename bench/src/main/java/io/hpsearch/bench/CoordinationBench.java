package io.hpsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.store.Database;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.NewRun;
import io.hpsearch.store.Objective;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * What the store costs a worker per trial, on H2 (an embedded file) and on PostgreSQL (a server on loopback), side by
 * side in one process: claiming a trial (its number under the run's lock), writing an epoch, and completing it (with
 * and without a new best model, a 2.5 MB zip as a 784-512-512-10 MLP's). Arguments: the PostgreSQL URL of an empty
 * database, the output folder, trials per store.
 */
public final class CoordinationBench {
    private static final int EPOCHS = 10;
    private static final int MODEL_BYTES = 2_500_000;

    private CoordinationBench() {
    }

    public static void main(String[] args) throws Exception {
        String postgres = args[0];
        Path out = Files.createDirectories(Path.of(args[1]));
        int trials = Integer.parseInt(args[2]);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        result.put("trials", trials);
        result.put("epochs_per_trial", EPOCHS);
        try (ScratchStore h2 = ScratchStore.create("hpsearch-coordination")) {
            result.put("h2", measure(h2.store(), trials));
        }
        try (Store pg = Store.open(Database.of(postgres))) {
            result.put("postgresql", measure(pg, trials));
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.resolve("coordination.json").toFile(), result);
        System.out.println(json.writeValueAsString(result));
    }

    /** Per-operation latency percentiles (ms) over {@code trials} trials, after 20 trials of warm-up. */
    private static Map<String, Object> measure(Store store, int trials) {
        long run = store.createRun(new NewRun("coordination", "name: coordination\n", "{}", "random",
                Objective.VAL_ACCURACY, trials + 20, 1, "17", "M2.1", "bench"), RunStatus.RUNNING);
        long worker = store.registerWorker("bench", ProcessHandle.current().pid());
        byte[] model = new byte[MODEL_BYTES];
        new Random(1).nextBytes(model); // incompressible, as a network's weights are
        long[] claim = new long[trials];
        long[] epoch = new long[trials * EPOCHS];
        long[] complete = new long[trials];
        long[] completeWithModel = new long[trials];
        int withModel = 0;
        int without = 0;
        for (int i = -20; i < trials; i++) {
            long t0 = System.nanoTime();
            Trial trial = ((Store.Claim.Started) store.claimTrial(run, worker, trials + 20, "{}", "k" + i)).trial();
            long t1 = System.nanoTime();
            for (int e = 1; e <= EPOCHS; e++) {
                long s = System.nanoTime();
                store.recordEpoch(trial.id(), new EpochMetrics(1, e, 0.5, 0.4, 0.8, 1));
                if (i >= 0) {
                    epoch[i * EPOCHS + e - 1] = System.nanoTime() - s;
                }
            }
            // Every other trial is a new best (its model is written), as early in a run; the others are not.
            boolean better = i % 2 == 0;
            long t2 = System.nanoTime();
            store.completeTrial(trial, worker, better ? 0.5 + i * 1e-6 : 0.1, null, EPOCHS, EPOCHS, () -> model);
            long t3 = System.nanoTime();
            if (i >= 0) {
                claim[i] = t1 - t0;
                if (better) {
                    completeWithModel[withModel++] = t3 - t2;
                } else {
                    complete[without++] = t3 - t2;
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("database", store.describe().replaceAll("/tmp/[^ ]*", "(temporary file)"));
        out.put("claim_ms", percentiles(claim, trials));
        out.put("epoch_write_ms", percentiles(epoch, epoch.length));
        out.put("complete_ms", percentiles(complete, without));
        out.put("complete_with_model_ms", percentiles(completeWithModel, withModel));
        double perTrial = (median(claim, trials) + EPOCHS * median(epoch, epoch.length)
                + (median(complete, without) + median(completeWithModel, withModel)) / 2) / 1e6;
        out.put("per_trial_ms", perTrial);
        ThroughputBench.log("%s: claim p50 %.2f ms, epoch write p50 %.2f ms, complete p50 %.2f ms (%.2f ms with a "
                        + "2.5 MB model); per trial of %d epochs %.1f ms", store.describe(), median(claim, trials) / 1e6,
                median(epoch, epoch.length) / 1e6, median(complete, without) / 1e6,
                median(completeWithModel, withModel) / 1e6, EPOCHS, perTrial);
        return out;
    }

    private static double median(long[] nanos, int n) {
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        return sorted[n / 2];
    }

    private static Map<String, Double> percentiles(long[] nanos, int n) {
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("p50", sorted[n / 2] / 1e6);
        p.put("p90", sorted[(int) (n * 0.9)] / 1e6);
        p.put("p99", sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
        p.put("max", sorted[n - 1] / 1e6);
        return p;
    }
}
