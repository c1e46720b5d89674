package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import io.hpsearch.data.FashionMnist;

import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * What the trainer tests train on: the first rows of the repository's slice of Fashion-MNIST (3,000 training
 * images) and validation rows from row 2,500 on.
 */
record FashionSlice(Examples train, Examples validation) {
    private static final Path DATA = Path.of("../testdata/fashion-mnist");

    static FashionSlice of(int trainRows, int validationRows) {
        FashionMnist data = FashionMnist.load(DATA);
        return new FashionSlice(data.train().rows(IntStream.range(0, trainRows).toArray()),
                data.train().rows(IntStream.range(2_500, 2_500 + validationRows).toArray()));
    }

    TrialTrainer trainer() {
        return new TrialTrainer(train, validation, TestParams.FASHION, 10);
    }
}
