package io.hpsearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.cli.Main;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.testing.HpsearchProcess;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON API on a real server (free port) over a real H2 file holding a real small run. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMALL_RUN = """
            name: launched
            search: grid
            max_trials: 3
            training: {epochs: 40, train_limit: 1000}
            model:
              type: mlp
              hidden_layers: 1
              units: {choice: [16, 32, 64]}
              learning_rate: 0.001
            """;

    @TempDir
    static Path dir;
    private Path db;
    private Store store;
    private Dashboard dashboard;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void runAndServe() {
        db = dir.resolve("store/hpsearch");
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[]{"run", TestPaths.REFERENCE_SPACE.toString(), "--data",
                TestPaths.DATA.toString(), "--db", db.toString(), "--max-trials", "3", "--epochs", "2",
                "--train-limit", "2000", "--workers", "2"}, new PrintWriter(out), new PrintWriter(out));
        assertEquals(0, code, out.toString());
        store = Store.open(db);
        dashboard = Dashboard.start(store, TestPaths.dataAccess(),
                2, 1, "127.0.0.1", 0, Optional.empty());
    }

    @AfterAll
    void stop() {
        if (dashboard != null) {
            dashboard.close();
            store.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + dashboard.port() + path);
    }

    private JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    /** Polls until the value at {@code path} satisfies the condition (live state, written by another thread). */
    private JsonNode await(String path, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = json(get(path), 200);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting on " + path + "; last: " + last);
    }

    @Test
    void runsListsTheFinishedRunWithItsCounts() throws Exception {
        JsonNode runs = json(get("/api/runs"), 200);
        JsonNode run = runs.get(runs.size() - 1);
        assertEquals(1, run.get("id").asInt());
        assertEquals("fashion-mlp", run.get("name").asText());
        assertEquals("COMPLETED", run.get("status").asText());
        assertEquals(3, run.get("completed").asInt());
        assertEquals(3, run.get("total").asInt());
        assertTrue(run.get("testAccuracy").asDouble() > 0.6);
    }

    @Test
    void aRunCarriesItsSpaceParameterColumnsAndTestEvaluationWithClassNames() throws Exception {
        JsonNode detail = json(get("/api/runs/1"), 200);
        assertTrue(detail.get("spaceYaml").asText().contains("units: {choice: [512, 256, 128, 64, 32]}"));
        assertEquals(2000, detail.get("resolvedSpace").get("training").get("train_limit").asInt());
        assertEquals("input_dropout", detail.get("params").get(0).asText());
        assertEquals("learning_rate", detail.get("params").get(detail.get("params").size() - 1).asText());
        JsonNode test = detail.get("test");
        assertEquals(10, test.get("classes").size());
        assertEquals("T-shirt/top", test.get("classes").get(0).get("name").asText());
        assertEquals("Ankle boot", test.get("classes").get(9).get("name").asText());
        int total = 0;
        for (JsonNode row : test.get("confusion")) {
            for (JsonNode cell : row) {
                total += cell.asInt();
            }
        }
        assertEquals(1000, total, "every test image of the repository's slice");
        JsonNode data = detail.get("data");
        assertEquals("fashion-mnist", data.get("type").asText());
        assertEquals(4, data.get("files").size());
        assertEquals(64, data.get("files").get(0).get("sha256").asText().length());
        assertEquals(2000, data.get("counts").get("train").asInt());
        assertEquals(600, data.get("counts").get("validation").asInt());
        assertEquals(1000, data.get("counts").get("test").asInt());
        assertEquals(28, data.get("shape").get("height").asInt());
        assertEquals("Ankle boot", data.get("classes").get(9).asText());
    }

    /** Three 4x4 grey PNGs, 0.png to 2.png, in {@code folder}: a class folder of an image dataset. */
    private static void threeGreyImages(Path folder) throws IOException {
        for (int i = 0; i < 3; i++) {
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4,
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", folder.resolve(i + ".png").toFile());
        }
    }

    @Test
    void aSpaceSentToTheDashboardReadsDataOnlyUnderItsDataRoot() throws Exception {
        Path root = Files.createDirectories(dir.resolve("data-root"));
        Files.writeString(root.resolve("inside.csv"), "a,y\n1,x\n2,z\n");
        Path outside = Files.writeString(dir.resolve("outside.csv"), "a,y\n1,x\n2,z\n");
        Files.createSymbolicLink(root.resolve("link.csv"), outside);
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        try (Store other = Store.open(dir.resolve("root-store/hpsearch"));
             Dashboard rooted = Dashboard.start(other, new DataAccess(root, () -> {
                 throw new AssertionError("no Fashion-MNIST here");
             }), 1, 1, "127.0.0.1", 0, Optional.empty())) {
            String base = "http://127.0.0.1:" + rooted.port();
            for (String[] c : new String[][]{
                    {"/etc/passwd", "outside the dashboard's data root"},
                    {"../outside.csv", "outside the dashboard's data root"},
                    {"link.csv", "leads outside the dashboard's data root through a symbolic link"},
                    {"etc/passwd", "leads outside the dashboard's data root through a symbolic link"}}) {
                String space = """
                        name: escape
                        dataset:
                          type: csv
                          train: inside.csv
                          test: %s
                          label: y
                        model: {type: mlp, hidden_layers: 1, units: 4, learning_rate: 0.01}
                        """.formatted(c[0]);
                for (String endpoint : List.of("/api/runs", "/api/spaces/validate")) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + endpoint))
                            .POST(HttpRequest.BodyPublishers.ofString(space)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(400, response.statusCode(), response.body());
                    JsonNode error = JSON.readTree(response.body());
                    assertEquals("dataset.test", error.get("key").asText(), response.body());
                    assertEquals(5, error.get("line").asInt());
                    assertTrue(error.get("problem").asText().contains(c[1]), response.body());
                    assertFalse(response.body().contains("root:"), "nothing of /etc/passwd is read or sent back");
                }
            }
            assertEquals(0, other.runSummaries().size(), "nothing is recorded");

            // An image folder under the root whose class folder is a link to a folder outside it.
            Path secret = Files.createDirectories(dir.resolve("outside-photos/b"));
            Path photos = Files.createDirectories(root.resolve("photos/a"));
            for (Path folder : List.of(secret, photos)) {
                threeGreyImages(folder);
            }
            Files.createSymbolicLink(root.resolve("photos/b"), secret);
            HttpResponse<String> linked = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            name: linked
                            dataset: {type: images, train: photos, height: 4, width: 4, channels: 1}
                            model: {type: mlp, hidden_layers: 1, units: 4, learning_rate: 0.01}
                            """)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, linked.statusCode(), linked.body());
            assertTrue(JSON.readTree(linked.body()).get("error").asText().startsWith(root.resolve("photos/b") + ": '"
                    + root.resolve("photos/b") + "' leads outside the dashboard's data root"), linked.body());

            // Its own folder instead, with a photo of a kind it does not read: valid, and the answer names it.
            Files.delete(root.resolve("photos/b"));
            threeGreyImages(Files.createDirectories(root.resolve("photos/b")));
            Files.writeString(root.resolve("photos/b/beach.webp"), "RIFF");
            HttpResponse<String> valid = http.send(HttpRequest.newBuilder(URI.create(base + "/api/spaces/validate"))
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            name: own
                            dataset: {type: images, train: photos, height: 4, width: 4, channels: 1}
                            model: {type: mlp, hidden_layers: 1, units: 4, learning_rate: 0.01}
                            """)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, valid.statusCode(), valid.body());
            assertEquals("Skipped 1 entry of " + root.resolve("photos") + " that is not an image hpsearch reads (.png, "
                    + ".jpg, .jpeg, .bmp, .gif, .tif, .tiff): b/beach.webp",
                    JSON.readTree(valid.body()).get("notes").get(0).asText(), valid.body());

            // A run recorded elsewhere (the command line reads any path) is not resumed here from outside the root.
            Path space = Files.writeString(dir.resolve("outside.yaml"), """
                    name: outside
                    dataset: {type: csv, train: outside-table.csv, label: y}
                    max_trials: 1
                    training: {epochs: 1}
                    model: {type: mlp, hidden_layers: 1, units: 4, learning_rate: 0.01}
                    """);
            StringBuilder rows = new StringBuilder("a,y\n");
            for (int i = 0; i < 40; i++) {
                rows.append(i).append(',').append(i % 2 == 0 ? "x" : "z").append('\n');
            }
            Files.writeString(dir.resolve("outside-table.csv"), rows);
            StringWriter out = new StringWriter();
            assertEquals(0, Main.execute(new String[]{"run", space.toString(), "--db",
                    dir.resolve("root-store/hpsearch").toString(), "--workers", "1"}, new PrintWriter(out),
                    new PrintWriter(out)), out.toString());
            long outsideRun = other.runSummaries().get(0).run().id();
            other.finishRun(outsideRun, io.hpsearch.store.RunStatus.CANCELLED, "cancelled for the test");
            HttpResponse<String> resume = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/"
                    + outsideRun + "/resume")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, resume.statusCode(), resume.body());
            assertTrue(JSON.readTree(resume.body()).get("error").asText().startsWith("dataset.train: '"
                    + dir.resolve("outside-table.csv") + "' is outside the dashboard's data root"), resume.body());
            assertEquals(io.hpsearch.store.RunStatus.CANCELLED, other.run(outsideRun).orElseThrow().status(),
                    "a refused resume changes nothing");
        }
    }

    @Test
    void theBestModelDownloadsAsAFilePredictingNeedsNothingElse() throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("/api/runs/1/model"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/zip", response.headers().firstValue("Content-Type").orElseThrow());
        Path file = Files.write(db.getParent().resolve("downloaded.zip"), response.body());
        io.hpsearch.model.ModelFile.Model model = io.hpsearch.model.ModelFile.read(file);
        assertEquals(io.hpsearch.data.FashionMnist.CLASS_NAMES, model.classes());
        assertEquals(io.hpsearch.data.InputShape.image(1, 28, 28), model.encoding().shape());
        json(get("/api/runs/99/model"), 404);
    }

    @Test
    void trialsAreRankedAndCanBeSortedByAnyParameterAndFilteredByStatus() throws Exception {
        JsonNode ranked = json(get("/api/runs/1/trials"), 200);
        assertEquals(3, ranked.size());
        assertEquals(1, ranked.get(0).get("rank").asInt());
        assertTrue(ranked.get(0).get("best").asBoolean());
        assertTrue(ranked.get(0).get("score").asDouble() >= ranked.get(1).get("score").asDouble());

        JsonNode byUnits = json(get("/api/runs/1/trials?sort=units_1&order=desc"), 200);
        List<Integer> units = new ArrayList<>();
        byUnits.forEach(t -> units.add(t.get("params").get("units_1").asInt()));
        List<Integer> sorted = new ArrayList<>(units);
        sorted.sort((a, b) -> b - a);
        assertEquals(sorted, units);

        assertEquals(3, json(get("/api/runs/1/trials?status=completed"), 200).size());
        assertEquals(0, json(get("/api/runs/1/trials?status=failed"), 200).size());
        assertEquals("cannot sort by 'colour': use one of [rank, number, score, epochs, duration, state] or a "
                + "parameter of this run", json(get("/api/runs/1/trials?sort=colour"), 400).get("error").asText());
        assertEquals(400, get("/api/runs/1/trials?status=exploded").statusCode());
        assertEquals(400, get("/api/runs/1/trials?sort=score&order=sideways").statusCode());
        // order without sort would be ignored: it is refused instead, and checked there too
        assertEquals("order applies to sort: give sort too (for example sort=score&order=desc); without sort, "
                + "trials come ranked, best first", json(get("/api/runs/1/trials?order=desc"), 400).get("error")
                .asText());
        assertEquals(400, get("/api/runs/1/trials?order=sideways").statusCode());
    }

    @Test
    void runsLeftQueuedByADashboardThatStoppedAreRunByTheNextOne(@TempDir Path other) throws Exception {
        String yaml = """
                name: left-queued
                search: grid
                training: {epochs: 1, train_limit: 200}
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """;
        try (Store left = Store.open(other.resolve("hpsearch"))) {
            long id = SearchRunner.record(left, SpaceParser.parse(yaml, "left.yaml"), yaml, RunStatus.QUEUED);
            try (Dashboard next = Dashboard.start(left, TestPaths.dataAccess(), 1, 1,
                    "127.0.0.1", 0, Optional.empty())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (left.run(id).orElseThrow().status() != RunStatus.COMPLETED && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
            assertEquals(RunStatus.COMPLETED, left.run(id).orElseThrow().status());
            assertEquals(1, left.trials(id).size());
        }
    }

    @Test
    void aQueuedRunWhoseDataTheDashboardCannotReadStaysQueuedForTheWorkers(@TempDir Path other) throws Exception {
        // Queued by `run --no-work` on a machine that has this file; the dashboard's machine does not.
        String elsewhere = """
                name: elsewhere
                dataset: {type: csv, train: /data/only/on/the/workers.csv, label: y}
                training: {epochs: 1}
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """;
        String here = """
                name: here
                search: grid
                training: {epochs: 1, train_limit: 200}
                model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
                """;
        try (Store s = Store.open(other.resolve("hpsearch"))) {
            long away = SearchRunner.record(s, SpaceParser.parse(elsewhere, "elsewhere.yaml"), elsewhere,
                    RunStatus.QUEUED);
            long local = SearchRunner.record(s, SpaceParser.parse(here, "here.yaml"), here, RunStatus.QUEUED);
            try (Dashboard next = Dashboard.start(s, TestPaths.dataAccess(), 1, 1, "127.0.0.1", 0,
                    Optional.empty())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (s.run(local).orElseThrow().status() != RunStatus.COMPLETED && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
            assertEquals(RunStatus.COMPLETED, s.run(local).orElseThrow().status(), "the queue went on past it");
            assertEquals(RunStatus.QUEUED, s.run(away).orElseThrow().status());
        }
    }

    @Test
    void hostileRequestsGetTheirStatusAsJsonAndTheServerKeepsServing() throws Exception {
        // Path traversal against the static files, raw and encoded: never a file from outside the pages.
        for (String path : List.of("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/js/..%2f..%2f..%2fpom.xml", "/webjars/../../../../etc/passwd", "/css/%2e%2e%5c%2e%2e%5cpom.xml")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + dashboard.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() == 404 || response.statusCode() == 400, path + ": " + response.statusCode());
            assertFalse(response.body().contains("root:") || response.body().contains("<project"), path);
        }
        // Malformed bodies: JSON, nothing, a YAML document that is not a mapping.
        JsonNode json = json(post("/api/runs", "{\"name\": \"x\", "), 400);
        assertEquals(1, json.get("line").asInt());
        assertTrue(json.get("problem").asText().startsWith("invalid YAML: "), json.toString());
        assertEquals("the file is empty; see spaces/fashion-mlp.yaml for an example",
                json(post("/api/runs", ""), 400).get("problem").asText());
        assertEquals(400, post("/api/spaces/validate", "just a sentence").statusCode());
        // Wrong methods.
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(uri("/api/runs/1")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("DELETE is not allowed on /api/runs/1", json(delete, 405).get("error").asText());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/api/runs/1/cancel"))
                .PUT(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode());
        assertEquals(404, get("/api/nothing/here").statusCode());
        assertEquals(200, get("/api/runs").statusCode(), "still serving");
    }

    @Test
    void trialsComeInPagesThatKeepTheirRanks() throws Exception {
        JsonNode all = json(get("/api/runs/1/trials"), 200);
        JsonNode page = json(get("/api/runs/1/trials?limit=2&offset=1"), 200);
        assertEquals(2, page.size());
        assertEquals(List.of(2, 3), List.of(page.get(0).get("rank").asInt(), page.get(1).get("rank").asInt()));
        assertEquals(all.get(1).get("number"), page.get(0).get("number"));
        assertFalse(page.get(0).get("best").asBoolean());

        JsonNode sortedPage = json(get("/api/runs/1/trials?sort=number&limit=1&offset=2"), 200);
        assertEquals(1, sortedPage.size());
        assertEquals(3, sortedPage.get(0).get("number").asInt());
        assertEquals(0, json(get("/api/runs/1/trials?offset=10"), 200).size());
        assertEquals("limit must be a whole number, 0 or more, not '-1'",
                json(get("/api/runs/1/trials?limit=-1"), 400).get("error").asText());
        assertEquals(400, get("/api/runs/1/trials?offset=ten").statusCode());
        assertEquals("limit must be at most 2147483647, not '99999999999'",
                json(get("/api/runs/1/trials?limit=99999999999"), 400).get("error").asText());
        assertEquals(1, json(get("/api/runs/1/trials?limit=0001"), 200).size());
    }

    @Test
    void aTrialHasItsEpochCurvesAndNetworkSummary() throws Exception {
        JsonNode trial = json(get("/api/runs/1/trials/1"), 200);
        assertEquals(1, trial.get("trial").get("number").asInt());
        assertEquals(2, trial.get("epochs").size());
        assertTrue(trial.get("epochs").get(1).has("valAccuracy"));
        JsonNode layers = trial.get("network").get("layers");
        int hidden = trial.get("trial").get("params").get("hidden_layers").asInt();
        assertEquals(hidden + 1, layers.size());
        assertEquals(784, layers.get(0).get("inputs").asInt());
        assertEquals("softmax", layers.get(hidden).get("activation").asText());
        long sum = 0;
        for (JsonNode layer : layers) {
            sum += layer.get("params").asLong();
        }
        assertEquals(sum, trial.get("network").get("totalParams").asLong());
    }

    @Test
    void unknownRunsAndTrialsAre404AndMalformedIds400() throws Exception {
        assertEquals("no run 99", json(get("/api/runs/99"), 404).get("error").asText());
        assertEquals("run 1 has no trial 42", json(get("/api/runs/1/trials/42"), 404).get("error").asText());
        assertEquals(404, get("/api/runs/99/trials").statusCode());
        assertEquals("run id must be a whole number, not 'abc'", json(get("/api/runs/abc"), 400).get("error").asText());
        assertEquals(404, get("/api/nothing-here").statusCode());
        assertEquals(405, http.send(HttpRequest.newBuilder(uri("/api/runs")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void trialsDownloadAsCsv() throws Exception {
        HttpResponse<String> csv = get("/api/runs/1/trials.csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.headers().firstValue("Content-Disposition").orElse("").contains("run-1-trials.csv"));
        List<String> lines = csv.body().lines().toList();
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("rank,trial,status,val_accuracy,epochs,input_dropout"), lines.get(0));
    }

    @Test
    void aBadSpaceIs400WithTheLineAndKeyAndStartsNothing() throws Exception {
        int runsBefore = json(get("/api/runs"), 200).size();
        String bad = "name: bad\nmodel:\n  type: mlp\n  hidden_layers: 1\n  units: {choice: []}\n  learning_rate: 0.01\n";

        JsonNode error = json(post("/api/runs", bad), 400);

        assertEquals("space.yaml:5: model.units.choice: must not be empty", error.get("error").asText());
        assertEquals(5, error.get("line").asInt());
        assertEquals("model.units.choice", error.get("key").asText());
        assertEquals("must not be empty", error.get("problem").asText());
        assertEquals(error, json(post("/api/spaces/validate", bad), 400));
        assertEquals(runsBefore, json(get("/api/runs"), 200).size());
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        HttpResponse<String> response = post("/api/runs", "#".repeat(2 << 20));
        assertEquals(413, response.statusCode());
        assertEquals("the request body is larger than 1024 KiB, the limit for a space file",
                JSON.readTree(response.body()).get("error").asText());
    }

    @Test
    void validationSaysWhatWouldRun() throws Exception {
        JsonNode ok = json(post("/api/spaces/validate", SMALL_RUN), 200);
        assertEquals("launched", ok.get("name").asText());
        assertEquals("grid", ok.get("search").asText());
        assertEquals(3, ok.get("plannedTrials").asInt());
        assertEquals(3, ok.get("gridSize").asInt());
        assertEquals(0, ok.get("notes").size(), "nothing to say about Fashion-MNIST");
        assertTrue(get("/api/spaces/default").body().startsWith("# The reference MLP space"));
    }

    @Test
    void aLaunchedRunTrainsLiveCanBeCancelledOnceAndResumedToTheEnd() throws Exception {
        JsonNode created = json(post("/api/runs", SMALL_RUN), 201);
        long id = created.get("id").asLong();
        assertTrue(List.of("QUEUED", "RUNNING").contains(created.get("status").asText()));

        // Epochs appear while the trials train.
        await("/api/runs/" + id + "/trials", t -> t.size() >= 1 && t.get(0).get("epochs").asInt() >= 2);
        JsonNode cancelling = json(post("/api/runs/" + id + "/cancel", ""), 202);
        assertEquals(id, cancelling.get("id").asLong());

        JsonNode run = await("/api/runs/" + id, r -> r.get("run").get("status").asText().equals("CANCELLED"));
        assertEquals(0, run.get("run").get("running").asInt(), "no trial is left running");
        assertTrue(run.get("run").get("cancelled").asInt() >= 1);
        assertEquals("run " + id + " has already finished (cancelled); there is nothing to cancel",
                json(post("/api/runs/" + id + "/cancel", ""), 409).get("error").asText());

        // Resuming keeps the completed trials and trains the cut-off ones again under their numbers (from their
        // checkpoint when one was taken, else from scratch).
        json(post("/api/runs/" + id + "/resume", ""), 202);
        JsonNode resumed = await("/api/runs/" + id, r -> r.get("run").get("status").asText().equals("COMPLETED"));
        assertEquals(3, resumed.get("run").get("completed").asInt());
        JsonNode trials = json(get("/api/runs/" + id + "/trials?sort=number"), 200);
        assertEquals(List.of(1, 2, 3), List.of(trials.get(0).get("number").asInt(), trials.get(1).get("number").asInt(),
                trials.get(2).get("number").asInt()));
        trials.forEach(t -> assertEquals(40, t.get("epochs").asInt(), t.toString()));
        assertEquals("run " + id + " is completed; only an interrupted or cancelled run can be resumed",
                json(post("/api/runs/" + id + "/resume", ""), 409).get("error").asText());
        assertEquals(404, post("/api/runs/999/resume", "").statusCode());
    }

    @Test
    void aRunStartedFromTheCommandLineShowsUpLiveAndTheDashboardCanCancelIt() throws Exception {
        try (HpsearchProcess cli = new HpsearchProcess("run", TestPaths.REFERENCE_SPACE.toString(), "--data",
                TestPaths.DATA.toString(), "--db", db.toString(), "--max-trials", "20", "--epochs", "30",
                "--train-limit", "1000", "--workers", "1")) {
            String started = cli.awaitLine(line -> line.matches("Run \\d+ 'fashion-mlp'.*"));
            assertNotNull(started, cli.output());
            long id = Long.parseLong(started.split(" ")[1]);

            await("/api/runs/" + id + "/trials", t -> t.size() >= 1 && t.get(0).get("epochs").asInt() >= 1);
            assertEquals("RUNNING", json(get("/api/runs/" + id), 200).get("run").get("status").asText());
            json(post("/api/runs/" + id + "/cancel", ""), 202);

            assertEquals(130, cli.awaitExit(), cli.output());
            assertTrue(cli.output().contains("Run " + id + " cancelled"), cli.output());
            assertEquals("CANCELLED", json(get("/api/runs/" + id), 200).get("run").get("status").asText());
        }
    }

    @Test
    void curvesImportanceAndComparisonOfRunsWithPrunedTrials() throws Exception {
        long a = FakeRuns.write(store, "api-a", "val_accuracy", 9, 6, 1);
        long b = FakeRuns.write(store, "api-b", "val_accuracy", 4, 6, 2);
        long loss = FakeRuns.write(store, "api-loss", "val_loss", 1, 6, 3);

        JsonNode curves = json(get("/api/runs/" + a + "/curves"), 200);
        assertEquals(9, curves.size());
        assertEquals(1, curves.get(0).get("number").asInt());
        assertEquals("COMPLETED", curves.get(0).get("state").asText());
        assertEquals(6, curves.get(0).get("values").size());
        assertEquals("PRUNED", curves.get(2).get("state").asText());
        assertEquals(2, curves.get(2).get("values").size(), "pruned after epoch 2");

        JsonNode importance = json(get("/api/runs/" + a + "/importance"), 200);
        assertTrue(importance.get("method").asText().startsWith("fANOVA"));
        assertEquals(6, importance.get("trials").asInt(), "completed trials only");
        double sum = 0;
        double previous = 1;
        for (JsonNode item : importance.get("importances")) {
            sum += item.get("importance").asDouble();
            assertTrue(item.get("importance").asDouble() <= previous, "sorted, largest first");
            previous = item.get("importance").asDouble();
        }
        assertEquals(1.0, sum, 1e-9);
        assertTrue(importance.get("reason").isNull());
        JsonNode few = json(get("/api/runs/" + loss + "/importance"), 200);
        assertEquals(0, few.get("importances").size(), few.toString());
        assertTrue(few.get("reason").asText().contains("at least 2 completed trials"), few.toString());

        JsonNode comparison = json(get("/api/compare?runs=" + a + "," + b), 200);
        assertEquals("val_accuracy", comparison.get("objective").asText());
        JsonNode points = comparison.get("runs").get(0).get("points");
        assertEquals(9, points.size(), "one point per finished trial");
        // 6 epochs per completed trial, 2 per pruned one; FakeRuns writes one trial after another, so they finish
        // in trial order.
        assertEquals(6 * 6 + 3 * 2, points.get(8).get("epochs").asInt());
        assertEquals(6 + 6 + 2, points.get(2).get("epochs").asInt(), "trial 3 was pruned after 2 epochs");
        assertEquals(json(get("/api/runs/" + a), 200).get("run").get("bestScore").asDouble(),
                points.get(8).get("best").asDouble(), 1e-12);

        JsonNode refused = json(get("/api/compare?runs=" + a + "," + loss), 400);
        assertTrue(refused.get("error").asText().contains("different objectives"), refused.toString());
        json(get("/api/compare?runs=" + a), 400);
        json(get("/api/compare?runs=" + a + ",x"), 400);
        json(get("/api/compare?runs=" + a + ",999"), 404);
    }
}
