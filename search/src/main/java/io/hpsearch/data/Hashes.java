package io.hpsearch.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 of data files and folders: the provenance a run stores, and what a resume compares. */
public final class Hashes {
    private Hashes() {
    }

    /** Of a file's bytes. */
    public static String sha256(Path file) {
        MessageDigest digest = newDigest();
        try {
            update(digest, file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read it to compute its SHA-256 (" + e.getMessage() + ")", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Of some files under a folder, in the order given: each one's path relative to the folder, its length, then
     * its bytes, so that no two different sets of files hash alike.
     */
    public static String sha256(Path folder, List<Path> files) {
        MessageDigest digest = newDigest();
        for (Path file : files) {
            try {
                digest.update(folder.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Long.toString(Files.size(file)).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                update(digest, file);
            } catch (IOException e) {
                throw new DataException(file + ": cannot read it to compute its SHA-256 (" + e.getMessage() + ")", e);
            }
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
