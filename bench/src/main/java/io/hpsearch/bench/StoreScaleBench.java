package io.hpsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.sampler.Sampler;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Database;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.web.DataAccess;
import io.hpsearch.web.Dashboard;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The store under scale: fills one H2 database with a run of many trials and epochs through the store's own API
 * (timing every epoch write), then times the dashboard's API calls against it over HTTP on loopback.
 *
 * <p>Usage: {@code StoreScaleBench SPACE_YAML TRIALS EPOCHS REQUESTS OUT_JSON}
 */
public final class StoreScaleBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: StoreScaleBench SPACE_YAML TRIALS EPOCHS REQUESTS OUT_JSON");
            System.exit(2);
        }
        Path spaceFile = Path.of(args[0]);
        int trials = Integer.parseInt(args[1]);
        int epochs = Integer.parseInt(args[2]);
        int requests = Integer.parseInt(args[3]);
        SpaceSpec spec = SpaceParser.parse(spaceFile);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trials", trials + 20);
        out.put("epochs_per_trial", epochs);
        out.put("epoch_rows", (long) (trials + 20) * epochs);
        try (ScratchStore scratch = ScratchStore.create("hpsearch-store-scale")) {
            Store store = scratch.store();
            long runId = SearchRunner.record(store, spec, Files.readString(spaceFile), RunStatus.RUNNING);
            long start = System.nanoTime();
            long[] writes = fill(store, runId, spec, trials, epochs);
            store.finishRun(runId, RunStatus.COMPLETED, trials + " trial(s) written by the store benchmark");
            double fillSeconds = (System.nanoTime() - start) / 1e9;
            out.put("fill_seconds", fillSeconds);
            out.put("epoch_write_ms", percentiles(writes));
            out.put("db_file_mib", Files.size(Path.of(store.describe())) / (1024.0 * 1024));
            ThroughputBench.log("filled %,d trials x %d epochs in %.0f s; then %,d epoch writes through the store: "
                            + "p50 %.2f ms, p99 %.2f ms", trials + 20, epochs, fillSeconds, writes.length,
                    percentiles(writes).get("p50"), percentiles(writes).get("p99"));

            try (Dashboard dashboard = Dashboard.start(store, new DataAccess(scratch.dir(), () -> {
                throw new IllegalStateException("the store benchmark launches no runs");
            }), 1, 1, "127.0.0.1", 0, Optional.empty())) {
                String base = "http://127.0.0.1:" + dashboard.port();
                HttpClient http = HttpClient.newHttpClient();
                String top = base + "/api/runs/" + runId + "/trials?limit=100";
                String detail = base + "/api/runs/" + runId;
                Map<String, Object> api = new LinkedHashMap<>();
                api.put("ranked_top_100", time(requests, () -> get(http, top)));
                api.put("run_page_first_paint", time(requests, () -> CompletableFuture.allOf(
                        getAsync(http, detail), getAsync(http, top)).join()));
                api.put("runs_list", time(requests, () -> get(http, base + "/api/runs")));
                api.put("trial_page", time(requests, () -> get(http, base + "/api/runs/" + runId + "/trials/"
                        + (1 + trials / 2))));
                api.put("all_trials", time(Math.max(5, requests / 20), () -> get(http, base + "/api/runs/" + runId
                        + "/trials")));
                out.put("api_ms", api);
                api.forEach((name, p) -> ThroughputBench.log("%-22s %s", name, p));
            }
        }
        JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValue(new File(args[4]), out);
        ThroughputBench.log("wrote %s", args[4]);
    }

    /**
     * A run's worth of trials drawn from the space, through the store's API; their epochs go in by JDBC batches on
     * the same database (a million single-row transactions would take most of an hour). Then 20 more trials are
     * written epoch by epoch through {@link Store#recordEpoch}, timing each write against the full database.
     */
    private static long[] fill(Store store, long runId, SpaceSpec spec, int trials, int epochs) throws Exception {
        Sampler sampler = Samplers.forSpace(spec);
        Random random = new Random(1);
        String url = "jdbc:h2:file:" + ((Database.H2) store.database()).base() + ";AUTO_SERVER=TRUE";
        try (Connection jdbc = DriverManager.getConnection(url, "sa", "");
             PreparedStatement epoch = jdbc.prepareStatement("INSERT INTO epochs (trial_id, execution, epoch, "
                     + "train_loss, val_loss, val_accuracy, seconds) VALUES (?, 1, ?, ?, ?, ?, 3.0)");
             PreparedStatement count = jdbc.prepareStatement("UPDATE trials SET epochs = ? WHERE id = ?")) {
            jdbc.setAutoCommit(false);
            for (int n = 1; n <= trials; n++) {
                TrialParams params = sampler.next(List.of())
                        .orElseThrow(() -> new IllegalStateException("space too small"));
                Trial trial = store.startTrial(runId, n, JSON.writeValueAsString(params.asMap()), params.key());
                double accuracy = 0.5 + 0.4 * random.nextDouble();
                for (int e = 1; e <= epochs; e++) {
                    double acc = accuracy * (1 - Math.exp(-e / 5.0));
                    epoch.setLong(1, trial.id());
                    epoch.setInt(2, e);
                    epoch.setDouble(3, 1 - acc);
                    epoch.setDouble(4, 1.1 - acc);
                    epoch.setDouble(5, acc);
                    epoch.addBatch();
                }
                count.setInt(1, epochs);
                count.setLong(2, trial.id());
                count.addBatch();
                epoch.executeBatch();
                count.executeBatch();
                jdbc.commit();
                if (n % 50 == 0) {
                    store.finishTrial(trial.id(), TrialState.FAILED, null, "training loss became NaN in epoch 3");
                } else {
                    store.completeTrial(trial.id(), accuracy * (1 - Math.exp(-epochs / 5.0)), null, epochs, epochs);
                }
                if (n % 1000 == 0) {
                    ThroughputBench.log("%,d trials written", n);
                }
            }
        }
        long[] writes = new long[20 * epochs];
        int w = 0;
        for (int n = trials + 1; n <= trials + 20; n++) {
            TrialParams params = sampler.next(List.of())
                    .orElseThrow(() -> new IllegalStateException("space too small"));
            Trial trial = store.startTrial(runId, n, JSON.writeValueAsString(params.asMap()), params.key());
            for (int e = 1; e <= epochs; e++) {
                long t0 = System.nanoTime();
                store.recordEpoch(trial.id(), new EpochMetrics(1, e, 0.5, 0.6, 0.8, 3.0));
                writes[w++] = System.nanoTime() - t0;
            }
            store.completeTrial(trial.id(), 0.8, null, epochs, epochs);
        }
        return writes;
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Latency percentiles in milliseconds of {@code n} calls, after a few unmeasured ones. */
    private static Map<String, Double> time(int n, Call call) throws Exception {
        for (int i = 0; i < Math.min(10, n); i++) {
            call.run();
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - t0;
        }
        return percentiles(nanos);
    }

    private static Map<String, Double> percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        Map<String, Double> p = new LinkedHashMap<>();
        for (double q : List.of(0.5, 0.95, 0.99)) {
            p.put("p" + Math.round(q * 100), sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e6);
        }
        p.put("max", sorted[sorted.length - 1] / 1e6);
        return p;
    }

    private static void get(HttpClient http, String url) throws Exception {
        check(url, http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static CompletableFuture<Void> getAsync(HttpClient http, String url) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .thenAccept(r -> check(url, r));
    }

    private static void check(String url, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
