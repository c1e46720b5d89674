package io.hpsearch.bench;

import io.hpsearch.store.Store;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh H2 store in a temporary folder, deleted with everything in it when closed. */
final class ScratchStore implements AutoCloseable {
    private final Path dir;
    private final Store store;

    private ScratchStore(Path dir) {
        this.dir = dir;
        this.store = Store.open(dir.resolve("hpsearch"));
    }

    static ScratchStore create(String prefix) throws IOException {
        return new ScratchStore(Files.createTempDirectory(prefix));
    }

    Store store() {
        return store;
    }

    /** A folder in the scratch space (deleted with it). */
    Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
