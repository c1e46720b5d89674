package io.hpsearch.cli;

import io.hpsearch.data.FashionMnist;
import io.hpsearch.data.FashionMnistFiles;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --data: where Fashion-MNIST lives. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four Fashion-MNIST .gz files (default: env HPSEARCH_DATA, else "
                    + "~/.hpsearch/data/fashion-mnist, downloaded on first use).")
    String data;

    FashionMnist load() {
        return FashionMnistFiles.load(data);
    }
}
