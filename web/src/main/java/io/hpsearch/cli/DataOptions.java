package io.hpsearch.cli;

import io.hpsearch.data.DataPaths;
import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Datasets;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.data.FashionMnistFiles;
import io.hpsearch.data.images.ImageFolders;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

/** --data: where Fashion-MNIST lives, for spaces with {@code dataset: fashion-mnist}; other data the space names. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "For dataset: fashion-mnist, the directory with its four .gz files (default: env "
                    + "HPSEARCH_DATA, else ~/.hpsearch/data/fashion-mnist, downloaded on first use). Other data "
                    + "(csv, images, idx) is named in the space file.")
    String data;

    /** The command this mixin is part of, for its standard error. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    FashionMnist fashionMnist() {
        return new FashionMnistFiles(FashionMnistFiles.OFFICIAL_MIRROR, FashionMnistFiles.defaultCache(),
                System.err::println).load(data, System.getenv("HPSEARCH_DATA"));
    }

    /** Reads the data a space names, and says on standard error what of its folders it did not read. */
    Dataset load(DataSpec spec) {
        Dataset dataset = Datasets.load(spec, this::fashionMnist);
        PrintWriter err = mixee.commandLine().getErr();
        ImageFolders.skippedNotes(dataset).forEach(err::println);
        err.flush();
        return dataset;
    }

    /** What a resume compares before reading anything: the SHA-256 of each file the space names. */
    List<Dataset.DataFile> fingerprint(DataSpec spec) {
        return Datasets.fingerprint(spec, this::fashionMnist, DataPaths.ANY);
    }

    /** Fashion-MNIST read once, on first use: a dashboard that only browses never needs it. */
    Supplier<FashionMnist> fashionMnistOnce() {
        return new Supplier<>() {
            private FashionMnist value;

            @Override
            public synchronized FashionMnist get() {
                if (value == null) {
                    value = fashionMnist();
                }
                return value;
            }
        };
    }
}
