package io.hpsearch.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's contract on an embedded H2 file, and what only a file database can get wrong. */
class H2StoreTest extends StoreContract {
    @Override
    protected String location() {
        return dir.resolve("db/hpsearch").toString();
    }

    @Test
    void aDatabaseOfTheLastReleaseIsMigratedWithItsRunsKept() throws Exception {
        Path old = dir.resolve("old/hpsearch");
        // The schema as hpsearch had it before workers (version 6), with a run and a completed trial in it.
        try (Connection c = oldDatabase(old, "6"); Statement st = c.createStatement()) {
            st.execute("INSERT INTO trials (run_id, trial_number, params, params_key, state, score, started_at, "
                    + "heartbeat_at) VALUES (1, 1, '{}', 'k', 'COMPLETED', 0.8, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        try (Store migrated = Store.open(old)) {
            Trial trial = migrated.trials(1).get(0);
            assertEquals(0.8, trial.score());
            assertNull(trial.host(), "a trial from before workers has no host");
            assertEquals(0, trial.retries());
            assertTrue(migrated.model(1).isEmpty());
        }
    }

    @Test
    void epochsRecordedBeforeTheStoreKeptTheirTimesAreCountedInTrialOrderAsTheyWere() throws Exception {
        Path old = dir.resolve("v10/hpsearch");
        // Version 10: epochs without their times. Trial 2 (one epoch) finished before trial 1 (three).
        try (Connection c = oldDatabase(old, "10"); Statement st = c.createStatement()) {
            st.execute("INSERT INTO trials (run_id, trial_number, params, params_key, state, score, epochs, "
                    + "started_at, finished_at, heartbeat_at) VALUES "
                    + "(1, 1, '{}', 'k1', 'COMPLETED', 0.8, 3, TIMESTAMP '2026-01-01 10:00:00+00', "
                    + "TIMESTAMP '2026-01-01 10:03:00+00', CURRENT_TIMESTAMP), "
                    + "(1, 2, '{}', 'k2', 'PRUNED', 0.5, 1, TIMESTAMP '2026-01-01 10:00:00+00', "
                    + "TIMESTAMP '2026-01-01 10:01:00+00', CURRENT_TIMESTAMP)");
            st.execute("INSERT INTO epochs (trial_id, epoch, train_loss, val_loss, val_accuracy, seconds) VALUES "
                    + "(1, 1, 1, 1, 0.7, 60), (1, 2, 1, 1, 0.75, 60), (1, 3, 1, 1, 0.8, 60), (2, 1, 1, 1, 0.5, 60)");
        }
        try (Store migrated = Store.open(old)) {
            List<Store.Finish> finishes = migrated.finishes(1, migrated.trials(1));
            assertEquals(List.of(1, 2), finishes.stream().map(f -> f.trial().number()).toList());
            assertEquals(List.of(3L, 4L), finishes.stream().map(Store.Finish::epochs).toList());
        }
    }

    /**
     * An H2 database at {@code path} with the schema up to {@code version} only, as an older hpsearch left it, and
     * one run (id 1) in it: a connection to it, for the caller to add rows and close.
     */
    private static Connection oldDatabase(Path path, String version) throws Exception {
        Files.createDirectories(path.getParent());
        String url = "jdbc:h2:file:" + path.toAbsolutePath() + ";WRITE_DELAY=0";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/common", "classpath:db/h2")
                .target(version).load().migrate();
        Connection c = DriverManager.getConnection(url, "sa", "");
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO runs (name, space_yaml, resolved_space, search_kind, objective, max_trials, seed,"
                    + " status, java_version, dl4j_version, hpsearch_version, created_at, heartbeat_at) VALUES "
                    + "('old', 'name: old', '{}', 'random', 'VAL_ACCURACY', 3, 1, 'COMPLETED', '17', 'M2.1', '0.1', "
                    + "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        return c;
    }

    @Test
    void theDatabaseIsTheFileBesideThePath() {
        assertTrue(Files.exists(dir.resolve("db/hpsearch.mv.db")));
        assertTrue(store.describe().endsWith("hpsearch.mv.db"), store.describe());
    }

    @Test
    void aFileThatIsNotADatabaseGivesAClearError() throws Exception {
        Path junk = dir.resolve("junk/hpsearch");
        Files.createDirectories(junk.getParent());
        Files.write(dir.resolve("junk/hpsearch.mv.db"), "this is not an H2 database".repeat(200).getBytes());

        StoreException e = assertThrows(StoreException.class, () -> Store.open(junk));

        assertTrue(e.getMessage().startsWith("cannot open the database " + junk + ".mv.db: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Choose another with --db PATH"), e.getMessage());
    }

    @Test
    void aDatabaseThisUserCannotWriteIsSaidPlainly() throws Exception {
        // H2 said "Feature not supported: AUTO_SERVER=TRUE && (readOnly ...)" for a file of someone else's.
        Path base = dir.resolve("shared/hpsearch");
        Store.open(base).close();
        Path file = Path.of(base + ".mv.db");
        OpenAsAnotherUser other = OpenAsAnotherUser.prepare(dir.resolve("classpath"));
        String why = " (its permissions, or a read-only file system)";
        String fix = ": hpsearch writes to its database even to list runs. Give this user write access, or copy the"
                + " database somewhere writable and pass --db with the copy";

        Files.setPosixFilePermissions(base.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        assertEquals("cannot open the database " + file + ": the file is not writable by " + other.user() + why + fix,
                other.open(base.toString()));

        Files.setPosixFilePermissions(base.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals("cannot open the database " + file + ": its folder " + base.getParent() + " is not writable by "
                + other.user() + why + ", and H2 keeps a lock file beside the database" + fix,
                other.open(base.toString()));

        // A new database in a folder it may not write.
        Path elsewhere = base.resolveSibling("new");
        assertEquals("cannot create the database " + elsewhere + ".mv.db: its folder " + base.getParent() + " is not "
                + "writable by " + other.user() + why + "; choose another place with --db PATH",
                other.open(elsewhere.toString()));

        Files.setPosixFilePermissions(base.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals("opened", other.open(base.toString()), "a file and folder it may write are opened");
    }

    @Test
    void aDatabaseDirectoryThatCannotBeCreatedGivesAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");

        StoreException e = assertThrows(StoreException.class, () -> Store.open(file.resolve("hpsearch")));

        assertTrue(e.getMessage().startsWith("cannot create the database directory " + file), e.getMessage());
    }


    @Test
    void aPathIsTakenAsTypedOnlyWhereH2WouldReadItSo() throws Exception {
        StoreException settings = assertThrows(StoreException.class,
                () -> Database.of(dir.resolve("exp;INIT=DROP ALL OBJECTS").toString()));
        assertEquals("--db " + dir.resolve("exp;INIT=DROP ALL OBJECTS") + ": an H2 database path cannot contain ';'; "
                + "choose one without", settings.getMessage());
        assertEquals(Path.of(System.getProperty("user.home"), "runs", "hpsearch"),
                ((Database.H2) Database.of("~/runs/hpsearch")).base(), "--db=~/... reaches hpsearch unexpanded");
        Files.createDirectories(dir.resolve("hpsearch-data"));
        StoreException folder = assertThrows(StoreException.class,
                () -> Database.of(dir.resolve("hpsearch-data").toString()));
        assertEquals("--db " + dir.resolve("hpsearch-data") + " is a folder: give the database's path inside it, such "
                + "as " + dir.resolve("hpsearch-data/hpsearch") + " (the file "
                + dir.resolve("hpsearch-data/hpsearch.mv.db") + ")", folder.getMessage());
        // A database file beside the folder is the database meant: still opened.
        Files.writeString(dir.resolve("hpsearch-data.mv.db"), "");
        assertEquals(dir.resolve("hpsearch-data"), ((Database.H2) Database.of(dir.resolve("hpsearch-data").toString()))
                .base());
    }
}
