package io.hpsearch.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server the tests use: the one .ci/postgres starts (Debian's PostgreSQL, role hpsearch), or the
 * server HPSEARCH_TEST_POSTGRES names (a URL of any database on it, with a user allowed to create databases). Each
 * test gets a database of its own, created empty and dropped after. A missing server fails the test, never skips it.
 */
public final class TestPostgres {
    /** The server's maintenance database, with the tests' login. */
    public static final String ADMIN_URL = System.getenv().getOrDefault("HPSEARCH_TEST_POSTGRES",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=hpsearch&password=hpsearch");

    private TestPostgres() {
    }

    /** Creates an empty database and returns its URL, with the tests' login. */
    public static String createDatabase() {
        String name = "hpsearch_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name);
        return urlOf(name);
    }

    /** The URL of database {@code name} on the test server, with the tests' login. */
    public static String urlOf(String name) {
        return ADMIN_URL.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
    }

    /** Drops a database {@link #createDatabase} made, closing its connections. */
    public static void dropDatabase(String url) {
        String name = url.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        if (!name.toLowerCase(Locale.ROOT).startsWith("hpsearch_test_")) {
            throw new IllegalArgumentException("not a test database: " + url);
        }
        // A connection that is still closing (a refused login's) can make one attempt fail: try a few times.
        for (int attempt = 1; ; attempt++) {
            try {
                admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                return;
            } catch (IllegalStateException e) {
                if (attempt == 5) {
                    throw e;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the tests need PostgreSQL at " + Database.masked(ADMIN_URL) + " ("
                    + e.getMessage() + "): run .ci/postgres, which starts Debian's PostgreSQL and creates the "
                    + "tests' role, or set HPSEARCH_TEST_POSTGRES", e);
        }
    }
}
