package io.hpsearch.testing;

import io.hpsearch.data.FashionMnist;
import io.hpsearch.web.DataAccess;

import java.nio.file.Path;

/** Where the web module's tests (run from web/) find the repository's test data and the project's spaces. */
public final class TestPaths {
    /** The repository's slice of Fashion-MNIST (3,000 training, 1,000 test images; testdata/README.md). */
    public static final Path DATA = Path.of("../testdata/fashion-mnist");
    public static final Path REFERENCE_SPACE = Path.of("../spaces/fashion-mlp.yaml");

    private TestPaths() {
    }

    /** What a test dashboard may read: Fashion-MNIST from the slice, other data under the working directory. */
    public static DataAccess dataAccess() {
        return new DataAccess(Path.of("."), () -> FashionMnist.load(DATA));
    }
}
