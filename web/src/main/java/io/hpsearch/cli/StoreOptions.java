package io.hpsearch.cli;

import io.hpsearch.store.Database;
import io.hpsearch.store.Store;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** --db, --heartbeat-grace and --reconnect, shared by every command that reads or writes runs. */
public final class StoreOptions {
    @Option(names = "--db", paramLabel = "PATH|URL", defaultValue = "${env:HPSEARCH_DB:-hpsearch-data/hpsearch}",
            description = "Where runs are stored: an H2 database file, without extension, or a PostgreSQL database "
                    + "that workers on many machines share, jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER "
                    + "(password from the URL, PGPASSWORD or ~/.pgpass) (default: ${DEFAULT-VALUE}; env HPSEARCH_DB).")
    String db;

    @Option(names = "--heartbeat-grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "A running run whose process has written no heartbeat for this long (it writes one every "
                    + "second) is marked interrupted and can be resumed (default: ${DEFAULT-VALUE}).")
    int heartbeatGraceSeconds;

    @Option(names = "--reconnect", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to keep retrying while a PostgreSQL server is unreachable (a restart, a network "
                    + "outage) before giving up; a run in progress is then left to be resumed, and worker --forever "
                    + "keeps waiting (default: ${DEFAULT-VALUE}).")
    int reconnectSeconds;

    /** Opens the database, marking runs whose process has died as interrupted. */
    Store open() {
        if (heartbeatGraceSeconds < 2) {
            throw new Main.UsageException("--heartbeat-grace must be at least 2 seconds (heartbeats come every "
                    + "second), was " + heartbeatGraceSeconds);
        }
        if (reconnectSeconds < 1) {
            throw new Main.UsageException("--reconnect must be at least 1 second, was " + reconnectSeconds);
        }
        Store store = Store.open(database()).reconnectFor(Duration.ofSeconds(reconnectSeconds));
        store.interruptStale(heartbeatGrace());
        return store;
    }

    Duration heartbeatGrace() {
        return Duration.ofSeconds(heartbeatGraceSeconds);
    }

    /** The database --db names. @throws StoreException (a usage error) for a URL of another database */
    Database database() {
        return Database.of(db);
    }

    /** --db as messages show it: a password in a URL is never printed. */
    String shown() {
        return Database.masked(db);
    }

    /** Opens a database that must exist already: reading commands never create one at a mistyped path. */
    Store openExisting() {
        if (!exists()) {
            throw new Main.UsageException("no database at " + db + "; pass --db with the one your runs are in");
        }
        return open();
    }

    /**
     * Whether the database exists: reading commands must not create an empty H2 file at a mistyped path. (A
     * PostgreSQL database must exist for the server to accept the login; opening says so when it does not.)
     */
    boolean exists() {
        return !(database() instanceof Database.H2 h2) || Files.exists(h2.file());
    }
}
