package io.hpsearch.web;

import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Datasets;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.data.DataPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The data a dashboard may read: only under its data root ({@code serve --data-root}), so that a space sent over
 * HTTP cannot make the server read /etc/passwd, whether by an absolute path, by {@code ..}, or through a symbolic
 * link. Relative paths in a space sent to the dashboard mean paths under the root.
 */
public final class DataAccess implements DataPaths {
    private final Path root;
    private final Supplier<FashionMnist> fashionMnist;

    /**
     * @param root         the folder a dashboard's spaces may read under
     * @param fashionMnist Fashion-MNIST from the server's own --data directory, loaded on first use
     */
    public DataAccess(Path root, Supplier<FashionMnist> fashionMnist) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("the data root " + root + " does not exist (" + e.getMessage() + ")",
                    e);
        }
        this.fashionMnist = fashionMnist;
    }

    /** Where relative paths of spaces sent to the dashboard start. */
    public Path root() {
        return root;
    }

    @Override
    public Optional<String> refuse(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!absolute.startsWith(root)) {
            return Optional.of("'" + path + "' is outside the dashboard's data root; the dashboard reads data only "
                    + "under the folder given to serve --data-root");
        }
        // Follow symbolic links as far as the path exists: a link under the root may lead anywhere.
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null) {
            try {
                if (!existing.toRealPath().startsWith(root)) {
                    return Optional.of("'" + path + "' leads outside the dashboard's data root through a symbolic "
                            + "link; the dashboard reads data only under the folder given to serve --data-root");
                }
            } catch (IOException e) {
                return Optional.of("'" + path + "' cannot be resolved (" + e.getMessage() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a space's data.
     *
     * @throws io.hpsearch.data.DataException naming what cannot be used
     */
    public Dataset load(DataSpec spec) {
        return Datasets.load(spec, fashionMnist, this);
    }

    /** What a resume compares before reading anything: the SHA-256 of each file, checked against the root first. */
    public List<Dataset.DataFile> fingerprint(DataSpec spec) {
        return Datasets.fingerprint(spec, fashionMnist, this);
    }
}
