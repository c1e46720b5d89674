package io.hpsearch.store;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Opens a database in a JVM of another user's, as a colleague on a shared machine would: file modes mean nothing to
 * root, under which the tests run in CI. Under root the JVM runs as {@code nobody} (runuser), from a copy of the
 * class path that user may read ({@code /root} is not); under any other user, as that user.
 */
public final class OpenAsAnotherUser {
    private final List<String> launch;
    private final String user;

    private OpenAsAnotherUser(List<String> launch, String user) {
        this.launch = launch;
        this.user = user;
    }

    /**
     * The other user's JVM, from a class path copied under {@code dir} (made readable to all, with the folders
     * above it).
     */
    static OpenAsAnotherUser prepare(Path dir) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        // Surefire runs tests from a manifest-only jar; this property holds the real class path.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> copies = new ArrayList<>();
        Path cp = Files.createDirectories(dir);
        int n = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = cp.resolve((n++) + (Files.isDirectory(from) ? "" : ".jar"));
            copyTree(from, to);
            copies.add(to.toString());
        }
        // Every folder from the temporary directory down to the copy may be walked through (by the other user, also
        // to the databases the tests make beside it).
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(tmp) && !p.equals(tmp); p = p.getParent()) {
            p.toFile().setExecutable(true, false);
        }
        List<String> launch = new ArrayList<>();
        if (root) {
            launch.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        launch.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, copies), OpenAsAnotherUser.class.getName()));
        return new OpenAsAnotherUser(launch, root ? "nobody" : System.getProperty("user.name"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().setReadable(true, false);
                target.toFile().setExecutable(Files.isDirectory(p), false);
            }
        }
    }

    /** The user the JVM runs as. */
    String user() {
        return user;
    }

    /** What opening {@code location} said: {@code opened}, or the store's message. */
    String open(String location) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launch);
        command.add(location);
        // Standard error holds SLF4J's notice that it has no logger; what counts is printed on standard output.
        Path out = Files.createTempFile("open-as-another-user", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end:\n" + Files.readString(out));
            }
            return Files.readString(out).strip();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Opens the database args[0] and prints {@code opened}, or what the store refused it with. */
    public static void main(String[] args) {
        try (Store store = Store.open(args[0])) {
            System.out.println("opened");
        } catch (StoreException e) {
            System.out.println(e.getMessage());
        } catch (RuntimeException e) {
            System.out.println("not a StoreException: " + e);
        }
    }
}
