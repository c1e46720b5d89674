package io.hpsearch.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.store.Store;
import io.hpsearch.testing.HpsearchProcess;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dashboard others can reach: reading stays open, changing needs the token. */
class TokenTest {
    private static final String TOKEN = "correct-horse-battery-staple";
    private static final String SPACE = """
            name: guarded
            search: grid
            max_trials: 1
            training: {epochs: 1, train_limit: 200}
            model: {type: mlp, hidden_layers: 1, units: 8, learning_rate: 0.01}
            """;

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void changesNeedTheTokenAndReadingDoesNot() throws Exception {
        try (Store store = Store.open(dir.resolve("hpsearch"));
             Dashboard dashboard = Dashboard.start(store, TestPaths.dataAccess(), 1, 1,
                     "127.0.0.1", 0, Optional.of(AccessToken.of(TOKEN)))) {
            String base = "http://127.0.0.1:" + dashboard.port();
            HttpResponse<String> refused = post(base + "/api/runs", SPACE, null);
            assertEquals(401, refused.statusCode());
            assertTrue(new ObjectMapper().readTree(refused.body()).get("error").asText()
                    .startsWith("this dashboard accepts changes only with its access token"), refused.body());
            assertEquals(401, post(base + "/api/runs", SPACE, "Bearer not-the-token-at-all").statusCode());
            assertEquals(401, post(base + "/api/runs", SPACE, TOKEN).statusCode(), "the Bearer scheme is required");
            assertEquals(401, post(base + "/api/runs/1/cancel", "", null).statusCode());
            assertEquals(401, post(base + "/api/runs/1/resume", "", null).statusCode());
            assertEquals(0, store.runSummaries().size(), "nothing was launched");

            assertEquals(200, get(base + "/api/runs").statusCode(), "reading needs no token");
            assertEquals(200, get(base + "/").statusCode());
            // Checking a space reads its data files, and their errors quote them: not for everyone either.
            assertEquals(401, post(base + "/api/spaces/validate", SPACE, null).statusCode());
            assertEquals(200, post(base + "/api/spaces/validate", SPACE, "Bearer " + TOKEN).statusCode());

            assertEquals(201, post(base + "/api/runs", SPACE, "Bearer " + TOKEN).statusCode());
            assertEquals(1, store.runSummaries().size());
        }
    }

    @Test
    void anEmptyTokenIsRefusedNotTakenAsNone() {
        // serve --token "$(cat missing-file)": protection must not silently go away.
        Path db = dir.resolve("empty-token/hpsearch");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = io.hpsearch.cli.Main.execute(new String[]{"serve", "--token", "", "--port", "0", "--db",
                db.toString()}, new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));
        assertEquals(2, code, err.toString());
        assertEquals("hpsearch: --token (or HPSEARCH_TOKEN) is empty: a token must be at least 16 printable ASCII "
                + "characters, no spaces", err.toString().strip());
        assertTrue(!Files.exists(db.getParent()), "nothing is created");
    }

    @Test
    void servingBeyondThisMachinePrintsAWarningAndAGeneratedToken() throws Exception {
        Path db = dir.resolve("served/hpsearch");
        Files.createDirectories(db.getParent());
        try (HpsearchProcess serve = new HpsearchProcess("serve", "--host", "0.0.0.0", "--port", "0", "--db",
                db.toString())) {
            String warning = serve.awaitLine(line -> line.startsWith("hpsearch: warning: listening on 0.0.0.0"));
            assertNotNull(warning, serve.output());
            String tokenLine = serve.awaitLine(line -> line.startsWith("hpsearch: access token: "));
            assertNotNull(tokenLine, serve.output());
            String token = tokenLine.split(" ")[3];
            String url = serve.awaitLine(line -> line.startsWith("hpsearch dashboard: http://"));
            assertNotNull(url, serve.output());
            Matcher port = Pattern.compile(":(\\d+)/").matcher(url);
            assertTrue(port.find(), url);
            String base = "http://127.0.0.1:" + port.group(1);

            assertEquals(200, get(base + "/api/runs").statusCode());
            assertEquals(401, post(base + "/api/runs/7/cancel", "", null).statusCode());
            assertEquals(404, post(base + "/api/runs/7/cancel", "", "Bearer " + token).statusCode(),
                    "with the token the request goes through (and finds no run 7)");
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
