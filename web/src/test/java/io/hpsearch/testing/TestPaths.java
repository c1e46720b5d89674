package io.hpsearch.testing;

import java.nio.file.Path;

/** Where the web module's tests (run from web/) find the shared data and the project's spaces. */
public final class TestPaths {
    /** Fashion-MNIST beside the checkout, as CI provides it. */
    public static final Path DATA = Path.of("../../shared/data/fashion-mnist");
    public static final Path REFERENCE_SPACE = Path.of("../spaces/fashion-mlp.yaml");

    private TestPaths() {
    }
}
