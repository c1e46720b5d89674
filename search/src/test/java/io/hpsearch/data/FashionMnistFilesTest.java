package io.hpsearch.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the data comes from, with a local HTTP server standing in for the official mirror (tests never touch the
 * internet). It serves the repository's slice of Fashion-MNIST; the checksums it must match are the slice's own,
 * except for the training images, which must match the official archive's and so fail: both outcomes of a download.
 */
class FashionMnistFilesTest {
    private static final Path SHARED = FashionMnistTest.SLICE;
    private static final Map<FashionMnist.DataFile, String> MD5 = Map.of(
            FashionMnist.DataFile.TRAIN_IMAGES, FashionMnist.DataFile.TRAIN_IMAGES.md5(),
            FashionMnist.DataFile.TRAIN_LABELS, "a888862cb8bdb365e2ae5fb1c927d225",
            FashionMnist.DataFile.TEST_IMAGES, "ce6acad11ee6f140ffc1522cd66b8ff4",
            FashionMnist.DataFile.TEST_LABELS, "2c4a97923038006af6e220d7502b24e5");

    @TempDir
    Path home;
    private HttpServer server;
    private URI mirror;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void startMirror() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            requests.add(name);
            Path file = SHARED.resolve(name);
            if (name.contains("/") || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
            exchange.close();
        });
        server.start();
        mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopMirror() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void downloadsIntoTheCacheKeepingOnlyFilesWhoseMd5IsOfficial() throws IOException {
        Path cache = home.resolve(".hpsearch/data/fashion-mnist");
        FashionMnistFiles files = new FashionMnistFiles(mirror, cache, MD5, log::add);

        DataException e = assertThrows(DataException.class, () -> files.load(null, null));

        // The first file fetched is the recompressed training images: refused, nothing left behind.
        assertEquals("downloaded " + mirror + "train-images-idx3-ubyte.gz but its MD5 is "
                + "8e5d245f86932e2112aae92f88e1fe8c, not the official 8d4fb7e6c68d591d4c3dfef9ec88bf0d; the download "
                + "was discarded. Try again. Without internet access, copy the four Fashion-MNIST .gz files into a "
                + "directory and pass it with --data DIR (or HPSEARCH_DATA).", e.getMessage());
        assertEquals(List.of(), list(cache));
        assertEquals(List.of("Downloading " + mirror + "train-images-idx3-ubyte.gz to " + cache), log);
    }

    @Test
    void officialFilesAreDownloadedAndFilesAlreadyCachedAreNotFetchedAgain() throws IOException {
        Path cache = home.resolve("cache");
        Files.createDirectories(cache);
        // The image files are already cached (as a user who copied them would have them).
        for (String name : List.of("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz")) {
            Files.copy(SHARED.resolve(name), cache.resolve(name));
        }
        FashionMnistFiles files = new FashionMnistFiles(mirror, cache, MD5, log::add);

        FashionMnist data = files.load(null, null);

        assertEquals(List.of("train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"), requests);
        assertArrayEquals(Files.readAllBytes(SHARED.resolve("train-labels-idx1-ubyte.gz")),
                Files.readAllBytes(cache.resolve("train-labels-idx1-ubyte.gz")));
        assertEquals(3000, data.train().size());
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz"), list(cache));

        files.load(null, null);
        assertEquals(2, requests.size(), "second load must not download again");
    }

    @Test
    void mirrorErrorSaysWhatToDoOffline() {
        Path cache = home.resolve("cache");
        FashionMnistFiles files = new FashionMnistFiles(mirror.resolve("missing/"), cache, MD5, log::add);

        DataException e = assertThrows(DataException.class, files::downloadMissing);

        assertEquals("cannot download " + mirror + "missing/train-images-idx3-ubyte.gz: the server answered HTTP 404. "
                + "Without internet access, copy the four Fashion-MNIST .gz files into a directory and pass it with "
                + "--data DIR (or HPSEARCH_DATA).", e.getMessage());
    }

    @Test
    void aDirectoryTheUserChoseIsReadAsIsAndNeverDownloadedInto() {
        Path chosen = home.resolve("empty");
        FashionMnistFiles files = new FashionMnistFiles(mirror, home.resolve("cache"), MD5, log::add);

        DataException e = assertThrows(DataException.class, () -> files.load(chosen.toString(), null));
        assertEquals(chosen + ": data directory not found. Pass --data with a directory holding the four "
                + "Fashion-MNIST .gz files.", e.getMessage());
        assertThrows(DataException.class, () -> files.load(null, chosen.toString()));
        assertTrue(requests.isEmpty());
        assertFalse(Files.exists(home.resolve("cache")));

        assertEquals(3000, files.load(null, SHARED.toString()).train().size());
        assertTrue(requests.isEmpty());
    }

    @Test
    void corruptFileInTheCacheSaysDeletingItDownloadsItAgain() throws IOException {
        Path cache = home.resolve("cache");
        Files.createDirectories(cache);
        for (FashionMnist.DataFile f : FashionMnist.DataFile.values()) {
            Files.copy(SHARED.resolve(f.fileName()), cache.resolve(f.fileName()));
        }
        Path broken = cache.resolve("t10k-labels-idx1-ubyte.gz");
        Files.write(broken, "not gzip".getBytes());
        FashionMnistFiles files = new FashionMnistFiles(mirror, cache, MD5, log::add);

        DataException e = assertThrows(DataException.class, () -> files.load(null, null));

        assertTrue(e.getMessage().startsWith(broken + ": is not an IDX label file"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(It is in hpsearch's download cache: delete it and the next run "
                + "downloads it again.)"), e.getMessage());
        assertTrue(requests.isEmpty());
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
