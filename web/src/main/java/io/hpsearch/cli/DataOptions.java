package io.hpsearch.cli;

import io.hpsearch.data.FashionMnist;
import io.hpsearch.data.FashionMnistFiles;
import picocli.CommandLine.Option;

/** --data: where Fashion-MNIST lives. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four Fashion-MNIST .gz files (default: env HPSEARCH_DATA, else "
                    + "~/.hpsearch/data/fashion-mnist, downloaded on first use).")
    String data;

    FashionMnist load() {
        return new FashionMnistFiles(FashionMnistFiles.OFFICIAL_MIRROR, FashionMnistFiles.defaultCache(),
                System.err::println).load(data, System.getenv("HPSEARCH_DATA"));
    }
}
