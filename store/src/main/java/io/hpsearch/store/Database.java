package io.hpsearch.store;

import com.zaxxer.hikari.HikariConfig;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where runs are stored, from what a user typed after {@code --db} (or in HPSEARCH_DB): a file path means an embedded
 * H2 database, {@code jdbc:postgresql:...} a PostgreSQL server that processes on many machines share. The one place
 * that dispatches on the prefix, as Jib's CLI dispatches {@code --target} (Containerizers).
 */
public sealed interface Database {
    String POSTGRES_PREFIX = "jdbc:postgresql:";

    /**
     * @throws StoreException naming what was typed, when it is a JDBC URL of another database or not a path
     */
    static Database of(String location) {
        String text = location == null ? "" : location.strip();
        if (text.isEmpty()) {
            throw new StoreException("--db is empty: give a file path (an H2 database, such as hpsearch-data/hpsearch) "
                    + "or a PostgreSQL URL (jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER)");
        }
        if (text.regionMatches(true, 0, POSTGRES_PREFIX, 0, POSTGRES_PREFIX.length())) {
            if (text.length() == POSTGRES_PREFIX.length()) {
                throw new StoreException("--db " + text + " names no database: write "
                        + "jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER");
            }
            return new Postgres(POSTGRES_PREFIX + text.substring(POSTGRES_PREFIX.length()));
        }
        if (text.toLowerCase(Locale.ROOT).startsWith("jdbc:")) {
            throw new StoreException("--db " + masked(text) + ": hpsearch stores runs in an H2 file (give its path) or "
                    + "in PostgreSQL (jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER); other databases are not "
                    + "supported");
        }
        if (text.matches("(?i)^postgres(ql)?://.*")) {
            throw new StoreException("--db " + masked(text) + ": write the PostgreSQL URL as JDBC does, "
                    + "jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER");
        }
        if (text.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new StoreException("--db " + masked(text) + " is a URL hpsearch cannot use: give a file path (H2) "
                    + "or jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER");
        }
        if (text.contains(";")) {
            // H2 would read what follows as connection settings (INIT=... runs SQL): a path never carries them.
            throw new StoreException("--db " + text + ": an H2 database path cannot contain ';'; choose one without");
        }
        // The shell expands ~ only at the start of a word: --db=~/runs reaches here as typed.
        if (text.equals("~") || text.startsWith("~/")) {
            text = System.getProperty("user.home") + text.substring(1);
        }
        // H2 adds .mv.db to the path it is given: the file's own name (which `serve` prints) means the same database,
        // where H2 would make a second one beside it, named .mv.db.mv.db.
        String base = text.endsWith(H2.SUFFIX) && text.length() > H2.SUFFIX.length()
                ? text.substring(0, text.length() - H2.SUFFIX.length()) : text;
        Path path;
        try {
            path = Path.of(base);
        } catch (InvalidPathException e) {
            throw new StoreException("--db " + text + " is not a file path: " + e.getMessage(), e);
        }
        // A folder named like the database, with no database file beside it: --db hpsearch-data for the default's
        // folder. (Where hpsearch-data.mv.db exists too, that is the database meant.)
        if (Files.isDirectory(path) && !Files.exists(Path.of(base + H2.SUFFIX))) {
            throw new StoreException("--db " + text + " is a folder: give the database's path inside it, such as "
                    + path.resolve("hpsearch") + " (the file " + path.resolve("hpsearch" + H2.SUFFIX) + ")");
        }
        return new H2(path);
    }

    /** How to name it to a user: the path, or the URL without its password. */
    String describe();

    /** The folder of its Flyway migrations besides {@code db/common}: where the SQL must differ. */
    String vendor();

    /** The pool's settings for this database. */
    HikariConfig poolConfig();

    /** An H2 file database: {@code base} plus {@code .mv.db} on disk. */
    record H2(Path base) implements Database {
        /** What H2 adds to {@code base} to name the file. */
        static final String SUFFIX = ".mv.db";

        public H2 {
            base = base.toAbsolutePath().normalize();
        }

        @Override
        public String describe() {
            return file().toString();
        }

        /** The file on disk. */
        public Path file() {
            return Path.of(base + SUFFIX);
        }

        @Override
        public String vendor() {
            return "h2";
        }

        @Override
        public HikariConfig poolConfig() {
            HikariConfig config = new HikariConfig();
            // AUTO_SERVER lets a dashboard and a command-line run share one file: the first process serves the
            // others. WRITE_DELAY=0 writes every commit to the file before the commit returns: with H2's default
            // (500 ms), a killed process lost its last half second of committed trials (CrashResumeTest).
            config.setJdbcUrl("jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
            config.setUsername("sa");
            config.setPassword("");
            return config;
        }
    }

    /**
     * A PostgreSQL database. The password comes from the URL ({@code password=}), PGPASSWORD or ~/.pgpass (the
     * driver reads both), and is never printed.
     */
    record Postgres(String url) implements Database {
        @Override
        public String describe() {
            return masked(url);
        }

        @Override
        public String vendor() {
            return "postgresql";
        }

        @Override
        public HikariConfig poolConfig() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            String password = System.getenv("PGPASSWORD");
            if (password != null && !url.contains("password=")) {
                config.setPassword(password);
            }
            return config;
        }
    }

    /** The URL with any password (a {@code password=} parameter, or {@code user:password@}) replaced by stars. */
    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/:@]+):[^/@]*@", "//$1:***@");
    }
}
