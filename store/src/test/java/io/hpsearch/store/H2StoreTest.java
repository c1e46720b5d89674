package io.hpsearch.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's contract on an embedded H2 file, and what only a file database can get wrong. */
class H2StoreTest extends StoreContract {
    @Override
    protected String location() {
        return dir.resolve("db/hpsearch").toString();
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
    void aDatabaseDirectoryThatCannotBeCreatedGivesAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");

        StoreException e = assertThrows(StoreException.class, () -> Store.open(file.resolve("hpsearch")));

        assertTrue(e.getMessage().startsWith("cannot create the database directory " + file), e.getMessage());
    }

}
