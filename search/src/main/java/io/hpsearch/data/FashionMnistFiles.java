package io.hpsearch.data;

import io.hpsearch.data.FashionMnist.DataFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finds the Fashion-MNIST directory: {@code --data}, else {@code HPSEARCH_DATA}, else a per-user cache. Only the
 * cache is ever written to: missing files are downloaded there from the official mirror and kept only when their
 * MD5 matches the official one.
 */
public final class FashionMnistFiles {
    public static final URI OFFICIAL_MIRROR = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    private final URI mirror;
    private final Path cache;
    private final Consumer<String> log;
    private final Map<DataFile, String> md5s;
    private final HttpClient http;

    /**
     * @param mirror base URL the four file names are resolved against
     * @param cache  per-user directory that downloads go to
     * @param log    where to tell the user about downloads
     */
    public FashionMnistFiles(URI mirror, Path cache, Consumer<String> log) {
        this(mirror, cache, officialMd5s(), log);
    }

    /** @param md5s what each downloaded file must hash to (the official archives' MD5, except in tests) */
    public FashionMnistFiles(URI mirror, Path cache, Map<DataFile, String> md5s, Consumer<String> log) {
        this.mirror = mirror;
        this.cache = cache;
        this.md5s = Map.copyOf(md5s);
        this.log = log;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The MD5 of each official archive. */
    public static Map<DataFile, String> officialMd5s() {
        Map<DataFile, String> m = new EnumMap<>(DataFile.class);
        for (DataFile f : DataFile.values()) {
            m.put(f, f.md5());
        }
        return m;
    }

    /** {@code ~/.hpsearch/data/fashion-mnist}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".hpsearch", "data", "fashion-mnist");
    }

    /**
     * Loads the data from the directory the user chose ({@code dataOption}, else {@code dataEnv}; either may be
     * null or blank), else from the cache, downloading what it lacks.
     */
    public FashionMnist load(String dataOption, String dataEnv) {
        if (dataOption != null && !dataOption.isBlank()) {
            return FashionMnist.load(Path.of(dataOption));
        }
        if (dataEnv != null && !dataEnv.isBlank()) {
            return FashionMnist.load(Path.of(dataEnv));
        }
        downloadMissing();
        try {
            return FashionMnist.load(cache);
        } catch (DataException e) {
            throw new DataException(e.getMessage() + " (It is in hpsearch's download cache: delete it and the next "
                    + "run downloads it again.)", e);
        }
    }

    /** Downloads every file the cache lacks; a file already there is kept as it is. */
    public void downloadMissing() {
        try {
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw new DataException(cache + ": cannot create the data cache: " + e.getMessage()
                    + ". Pass --data DIR with the four Fashion-MNIST .gz files instead.", e);
        }
        for (DataFile file : DataFile.values()) {
            Path target = cache.resolve(file.fileName());
            if (!Files.exists(target)) {
                download(file, target);
            }
        }
    }

    private void download(DataFile file, Path target) {
        URI source = mirror.resolve(file.fileName());
        log.accept("Downloading " + source + " to " + cache);
        Path part = target.resolveSibling(file.fileName() + ".part");
        try {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DataException("cannot download " + source + ": the server answered HTTP "
                            + response.statusCode() + ". " + offlineHint());
                }
                try (InputStream in = new DigestInputStream(body, md5); OutputStream out = Files.newOutputStream(part)) {
                    in.transferTo(out);
                }
            }
            String actual = HexFormat.of().formatHex(md5.digest());
            String expected = md5s.get(file);
            if (!actual.equals(expected)) {
                Files.deleteIfExists(part);
                throw new DataException("downloaded " + source + " but its MD5 is " + actual + ", not the official "
                        + expected + "; the download was discarded. Try again. " + offlineHint());
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new DataException("cannot download " + source + ": " + e + ". " + offlineHint(), e);
        } catch (InterruptedException e) {
            deleteQuietly(part);
            Thread.currentThread().interrupt();
            throw new DataException("download of " + source + " was interrupted", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    private String offlineHint() {
        return "Without internet access, copy the four Fashion-MNIST .gz files into a directory and pass it with "
                + "--data DIR (or HPSEARCH_DATA).";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort: a stale .part file is overwritten by the next download.
        }
    }
}
