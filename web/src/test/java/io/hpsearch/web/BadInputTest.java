package io.hpsearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.cli.Main;
import io.hpsearch.store.Store;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The bad-space corpus (src/test/resources/bad-spaces, with the error each must give in expected.psv) through the
 * command line and the HTTP API: one clear message naming the file, line and key, exit code 2 or status 400, and
 * nothing stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final Path CORPUS = Path.of("src/test/resources/bad-spaces");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private Store store;
    private Dashboard dashboard;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void serve() {
        store = Store.open(dir.resolve("served/hpsearch"));
        dashboard = Dashboard.start(store, TestPaths.dataAccess(), 1,
                1, "127.0.0.1", 0, Optional.empty());
    }

    @AfterAll
    void stop() {
        dashboard.close();
        store.close();
    }

    static Stream<Arguments> corpus() throws IOException {
        return Files.readAllLines(CORPUS.resolve("expected.psv")).stream()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split(" \\| ", -1))
                .map(f -> Arguments.of(f[0], Integer.parseInt(f[1]), f[2], f[3]));
    }

    @Test
    void theCorpusHasThirtyFilesOrMoreAndEachIsListed() throws IOException {
        long files;
        try (Stream<Path> list = Files.list(CORPUS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        assertEquals(files, corpus().count(), "every file in " + CORPUS + " has its expected error");
        assertEquals(true, files >= 30, files + " files");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void aBadSpaceIsOneClearErrorAndNothingIsStored(String file, int line, String key, String problem)
            throws Exception {
        Path space = CORPUS.resolve(file);
        Path db = dir.resolve("cli-" + file + "/hpsearch");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"run", space.toString(), "--db", db.toString(), "--data",
                TestPaths.DATA.toString()}, new PrintWriter(out), new PrintWriter(err));

        assertEquals(2, code, out + err.toString());
        String expected = "hpsearch: " + space + ":" + (line > 0 ? line + ": " : " ") + (key.isEmpty() ? "" : key
                + ": ") + problem;
        assertEquals(expected, err.toString().strip(), "one line naming file, line and key");
        assertFalse(Files.exists(db.getParent()), "nothing is written for a bad space");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + dashboard.port() + "/api/runs"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(space))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(problem, error.get("problem").asText());
        assertEquals(key, error.get("key").asText());
        assertEquals(line, error.path("line").asInt(0), "no line for a problem with the whole file");
        assertEquals(0, store.runSummaries().size(), "no run is recorded for a bad space");
    }

    @Test
    void aTenMegabyteFileIsRefusedWithoutBeingRead() throws Exception {
        Path big = Files.writeString(dir.resolve("big.yaml"), "name: big\n" + "# padding\n".repeat(1_048_576));
        StringWriter err = new StringWriter();
        assertEquals(2, Main.execute(new String[]{"run", big.toString(), "--db", dir.resolve("big/h").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertEquals("hpsearch: " + big + ": the file is 10485770 bytes; a space file must be under 1048576 bytes",
                err.toString().strip());

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + dashboard.port() + "/api/runs"))
                .POST(HttpRequest.BodyPublishers.ofFile(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals(0, store.runSummaries().size());
    }
}
