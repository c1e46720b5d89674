package io.hpsearch.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.cli.Main;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.store.Store;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-data corpus (src/test/resources/bad-data: spaces naming broken CSV files and image folders, with the
 * error each must give in expected.psv) through the command line and the HTTP API: one line naming the file, line
 * or image and what is wrong, exit code 2 or status 400, and nothing stored. {@code {dir}} in an expected message
 * stands for the corpus folder, where the spaces' relative paths lead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadDataTest {
    private static final Path CORPUS = Path.of("src/test/resources/bad-data");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private Path corpus;
    private Store store;
    private Dashboard dashboard;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void serve() throws IOException {
        corpus = CORPUS.toRealPath();
        store = Store.open(dir.resolve("served/hpsearch"));
        // The dashboard's data root is the corpus, so a space sent over HTTP reads the same files as the CLI's.
        dashboard = Dashboard.start(store, new DataAccess(corpus, () -> {
            throw new AssertionError("the corpus has no Fashion-MNIST space");
        }), 1, 1, "127.0.0.1", 0, Optional.empty());
    }

    @AfterAll
    void stop() {
        dashboard.close();
        store.close();
    }

    static Stream<Arguments> corpus() throws IOException {
        return Files.readAllLines(CORPUS.resolve("expected.psv")).stream()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split(" \\| ", 2))
                .map(f -> Arguments.of(f[0], f[1]));
    }

    @Test
    void everySpaceOfTheCorpusIsListedWithItsError() throws IOException {
        long files;
        try (Stream<Path> list = Files.list(CORPUS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml") && !p.toString().contains("mixed")).count();
        }
        assertEquals(files, corpus().count(), "every bad space in " + CORPUS + " has its expected error");
        assertTrue(files >= 15, files + " files");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badDataIsOneClearErrorAndNothingIsStored(String file, String expected) throws Exception {
        String message = expected.replace("{dir}", corpus.toString());
        Path space = CORPUS.resolve(file);
        Path db = dir.resolve("cli-" + file + "/hpsearch");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"run", space.toString(), "--db", db.toString()}, new PrintWriter(out),
                new PrintWriter(err));

        assertEquals(2, code, out + err.toString());
        assertEquals("hpsearch: " + message, err.toString().strip(), "one line naming the file and the problem");
        assertFalse(Files.exists(db.getParent()), "nothing is written for bad data");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + dashboard.port() + "/api/runs"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(space))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(message, error.get("error").asText());
        assertEquals(0, store.runSummaries().size(), "no run is recorded for bad data");
    }

    @Test
    void aFolderOfMixedImageSizesAndColourModesIsResizedConvertedAndTrained() {
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[]{"run", CORPUS.resolve("images-mixed-sizes-and-modes.yaml").toString(),
                "--db", dir.resolve("mixed/hpsearch").toString(), "--workers", "1"}, new PrintWriter(out),
                new PrintWriter(out));
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("on the test set"), out.toString());
    }
}
