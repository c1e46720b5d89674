package io.hpsearch.web;

import io.hpsearch.store.Store;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 50 concurrent readers of the API for 60 seconds on loopback while a launched run writes its trials: every request
 * answers 200. The latencies are printed and written to target/load.txt (bench/README.md quotes them).
 */
class LoadTest {
    private static final int READERS = 50;
    private static final Duration LENGTH = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void fiftyReadersForAMinuteWhileARunWritesGetNoErrors() throws Exception {
        try (Store store = Store.open(dir.resolve("hpsearch"));
             Dashboard dashboard = Dashboard.start(store, TestPaths.dataAccess(), 1, 1, "127.0.0.1", 0, Optional.empty())) {
            String base = "http://127.0.0.1:" + dashboard.port();
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            HttpResponse<String> launched = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            name: under-load
                            search: random
                            max_trials: 500
                            training: {epochs: 2, train_limit: 1000}
                            model:
                              type: mlp
                              hidden_layers: {min: 1, max: 2}
                              units: {choice: [64, 32, 16]}
                              learning_rate: {choice: [0.01, 0.001]}
                            """)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, launched.statusCode(), launched.body());
            // Every path below exists once the first trial has started.
            long ready = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (store.trial(1, 1).isEmpty() && System.nanoTime() < ready) {
                Thread.sleep(100);
            }
            List<String> paths = List.of("/api/runs", "/api/runs/1", "/api/runs/1/trials?limit=100",
                    "/api/runs/1/trials", "/api/runs/1/trials/1", "/runs/1");

            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicLong requests = new AtomicLong();
            long end = System.nanoTime() + LENGTH.toNanos();
            ExecutorService readers = Executors.newFixedThreadPool(READERS);
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                readers.submit(() -> {
                    for (int i = reader; System.nanoTime() < end; i++) {
                        String path = paths.get(i % paths.size());
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                errors.add(path + " -> " + response.statusCode() + " " + response.body());
                            }
                        } catch (Exception e) {
                            errors.add(path + " -> " + e);
                        }
                        latencies.add(System.nanoTime() - t0);
                        requests.incrementAndGet();
                    }
                });
            }
            readers.shutdown();
            assertTrue(readers.awaitTermination(LENGTH.toSeconds() + 60, TimeUnit.SECONDS));
            int trials = store.trials(1).size();

            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            String report = String.format(Locale.ROOT, "%d readers x %d s on loopback while a run wrote %d trials: "
                            + "%,d requests, %d errors, p50 %.1f ms, p99 %.1f ms, max %.1f ms", READERS,
                    LENGTH.toSeconds(), trials, requests.get(), errors.size(), percentile(sorted, 0.50),
                    percentile(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
            System.out.println("LoadTest: " + report);
            Files.writeString(Path.of("target/load.txt"), report + "\n");
            assertEquals(List.of(), errors.subList(0, Math.min(5, errors.size())), report);
            assertTrue(trials >= 2, "the run was writing trials during the test: " + trials);
        }
    }

    private static double percentile(List<Long> sorted, double q) {
        return sorted.get((int) Math.ceil(q * sorted.size()) - 1) / 1e6;
    }
}
