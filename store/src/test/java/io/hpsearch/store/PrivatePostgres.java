package io.hpsearch.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, on a free port, made with Debian's initdb and pg_ctl: a test may stop and
 * restart it without disturbing any other. The server refuses to run as root, so under root it runs as the postgres
 * user (runuser), as Debian's own cluster does.
 */
public final class PrivatePostgres implements AutoCloseable {
    private final Path dir;
    private final int port;

    private PrivatePostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Creates and starts a server with one database, {@code hpsearch}, owned by the login user hpsearch. */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "hpsearch-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        PrivatePostgres server = new PrivatePostgres(dir, port);
        server.run(bin("initdb"), "-D", dir.resolve("data").toString(), "-U", "hpsearch", "--auth=trust",
                "-E", "UTF8", "--no-sync");
        server.startServer();
        server.run(bin("createdb"), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "hpsearch", "hpsearch");
        return server;
    }

    /** The database's URL (the server trusts local logins, so there is no password). */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/hpsearch?user=hpsearch";
    }

    /** Stops the server at once (clients are disconnected, as in a crash or failover) and starts it again. */
    public void restart(long downMillis) throws IOException, InterruptedException {
        run(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        Thread.sleep(downMillis);
        startServer();
    }

    /** Stops the server at once, as a crash would: clients are disconnected and new ones refused until {@link #startAgain}. */
    public void stopNow() throws IOException, InterruptedException {
        run(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    }

    /** Starts a server stopped with {@link #stopNow}. */
    public void startAgain() throws IOException, InterruptedException {
        startServer();
    }

    private void startServer() throws IOException, InterruptedException {
        run(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed:\n" + out);
        }
    }

    /** A PostgreSQL program from the newest version Debian installed. */
    private static String bin(String name) throws IOException {
        Path lib = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(lib)) {
            Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin").resolve(name)))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll(
                            "\\D", "0")))).orElseThrow(() -> new IOException("no PostgreSQL in " + lib
                            + ": run .ci/postgres, which installs Debian's postgresql"));
            return newest.resolve("bin").resolve(name).toString();
        }
    }
}
