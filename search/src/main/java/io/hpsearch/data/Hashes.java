package io.hpsearch.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 of data files and folders: the provenance a run stores, and what a resume compares. */
public final class Hashes {
    private Hashes() {
    }

    /** Of a file's bytes; of a folder, of every regular file under it (relative path, then bytes), sorted by path. */
    public static String sha256(Path path) {
        MessageDigest digest = newDigest();
        try {
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    digest.update(path.relativize(file).toString().replace('\\', '/').getBytes(
                            java.nio.charset.StandardCharsets.UTF_8));
                    digest.update((byte) 0);
                    update(digest, file);
                }
            } else {
                update(digest, path);
            }
        } catch (IOException e) {
            throw new DataException(path + ": cannot read it to compute its SHA-256 (" + e.getMessage() + ")", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
