package io.hpsearch.cli;

import io.hpsearch.store.Store;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** --db and --heartbeat-grace, shared by every command that reads or writes runs. */
public final class StoreOptions {
    @Option(names = "--db", paramLabel = "PATH", defaultValue = "${env:HPSEARCH_DB:-hpsearch-data/hpsearch}",
            description = "H2 database file, without extension (default: ${DEFAULT-VALUE}; env HPSEARCH_DB).")
    Path db;

    @Option(names = "--heartbeat-grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "A running run whose process has written no heartbeat for this long (it writes one every "
                    + "second) is marked interrupted and can be resumed (default: ${DEFAULT-VALUE}).")
    int heartbeatGraceSeconds;

    /** Opens the database, marking runs whose process has died as interrupted. */
    Store open() {
        if (heartbeatGraceSeconds < 2) {
            throw new Main.UsageException("--heartbeat-grace must be at least 2 seconds (heartbeats come every "
                    + "second), was " + heartbeatGraceSeconds);
        }
        Store store = Store.open(db);
        store.interruptStale(heartbeatGrace());
        return store;
    }

    Duration heartbeatGrace() {
        return Duration.ofSeconds(heartbeatGraceSeconds);
    }

    /** Opens a database that must exist already: reading commands never create one at a mistyped path. */
    Store openExisting() {
        if (!exists()) {
            throw new Main.UsageException("no database at " + db + "; pass --db with the one your runs are in");
        }
        return open();
    }

    /** Whether the database exists: reading commands must not create an empty one at a mistyped path. */
    boolean exists() {
        return Files.exists(Path.of(db + ".mv.db"));
    }

    /** Best models are kept beside the database they belong to. */
    Path modelDir() {
        Path parent = db.toAbsolutePath().getParent();
        return parent.resolve("models");
    }
}
