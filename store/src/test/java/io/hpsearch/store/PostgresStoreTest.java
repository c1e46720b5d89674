package io.hpsearch.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's contract on a real PostgreSQL server, and what only a server can get wrong. */
class PostgresStoreTest extends StoreContract {
    private String url;

    @Override
    protected String location() {
        if (url == null) {
            url = TestPostgres.createDatabase();
        }
        return url;
    }

    @AfterEach
    void drop() {
        store.close();
        TestPostgres.dropDatabase(url);
    }

    @Test
    void thePasswordIsNeverShown() {
        assertFalse(store.describe().contains("password=hpsearch"), store.describe());
        assertTrue(store.describe().contains("password=***"), store.describe());
    }

    @Test
    void aWrongPasswordIsOneClearParagraph() {
        String wrong = url.replace("password=hpsearch", "password=not-it");
        StoreException e = assertThrows(StoreException.class, () -> Store.open(wrong));
        assertTrue(e.getMessage().startsWith("cannot use the PostgreSQL database "), e.getMessage());
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains("not-it"), "the password is never printed: " + e.getMessage());
    }

    @Test
    void aMissingDatabaseIsNamed() {
        String missing = TestPostgres.urlOf("hpsearch_test_never_created");
        StoreException e = assertThrows(StoreException.class, () -> Store.open(missing));
        assertTrue(e.getMessage().contains("\"hpsearch_test_never_created\" does not exist"), e.getMessage());
    }

    @Test
    void aServerThatIsNotThereIsSaidSo() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String nowhere = "jdbc:postgresql://127.0.0.1:" + port + "/x?user=hpsearch";
        StoreException e = assertThrows(StoreException.class, () -> Store.open(nowhere));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("that the server is running"), e.getMessage());
    }

    @Test
    void aHostThatDoesNotExistIsSaidSo() {
        // .invalid never resolves (RFC 2606)
        StoreException e = assertThrows(StoreException.class,
                () -> Store.open("jdbc:postgresql://no-such-host.invalid/x?user=hpsearch"));
        assertTrue(e.getMessage().contains(": unknown host no-such-host.invalid"), e.getMessage());
    }

    @Test
    void otherDatabasesAndEmptyUrlsAreRefused() {
        StoreException mysql = assertThrows(StoreException.class,
                () -> Database.of("jdbc:mysql://h/db?password=secret"));
        assertTrue(mysql.getMessage().contains("other databases are not supported"), mysql.getMessage());
        assertFalse(mysql.getMessage().contains("secret"), mysql.getMessage());
        assertThrows(StoreException.class, () -> Database.of("jdbc:postgresql:"));
        StoreException libpq = assertThrows(StoreException.class,
                () -> Database.of("postgresql://u:secret@h/db"));
        assertTrue(libpq.getMessage().contains("jdbc:postgresql://"), libpq.getMessage());
        assertFalse(libpq.getMessage().contains("secret"), libpq.getMessage());
        assertThrows(StoreException.class, () -> Database.of("https://example.com/db"));
        assertThrows(StoreException.class, () -> Database.of(" "));
    }

    @Test
    void workersStartingAtOnceMigrateAFreshDatabaseOnce() throws Exception {
        String fresh = TestPostgres.createDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Store>> opening = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                opening.add(pool.submit((Callable<Store>) () -> Store.open(fresh)));
            }
            List<Store> stores = new ArrayList<>();
            for (Future<Store> f : opening) {
                stores.add(f.get());
            }
            long run = stores.get(0).createRun(new NewRun("r", "name: r\n", "{}", "random", Objective.VAL_ACCURACY,
                    5, 1, "17", "M2.1", "0.1"), RunStatus.RUNNING);
            for (Store s : stores) {
                assertEquals("r", s.run(run).orElseThrow().name());
                s.close();
            }
        } finally {
            pool.shutdown();
            TestPostgres.dropDatabase(fresh);
        }
    }
}
