package io.hpsearch.data.csv;

import io.hpsearch.data.DataSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Files and specs the CSV tests write. */
final class CsvFiles {
    private CsvFiles() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Header, label column "y", comma, all features, 0.2 held out, missing cells an error. */
    static DataSpec.Csv spec(Path train) {
        return new DataSpec.Csv(train, Optional.empty(), "y", true, ',', List.of(), 0.2, false);
    }

    static DataSpec.Csv withTest(DataSpec.Csv s, Path test) {
        return new DataSpec.Csv(s.train(), Optional.of(test), s.label(), s.header(), s.delimiter(), s.features(),
                s.testSplit(), s.imputeMissing());
    }

    static DataSpec.Csv impute(DataSpec.Csv s) {
        return new DataSpec.Csv(s.train(), s.test(), s.label(), s.header(), s.delimiter(), s.features(),
                s.testSplit(), true);
    }

    static DataSpec.Csv features(DataSpec.Csv s, String... features) {
        return new DataSpec.Csv(s.train(), s.test(), s.label(), s.header(), s.delimiter(), List.of(features),
                s.testSplit(), s.imputeMissing());
    }

    static DataSpec.Csv noHeader(Path train, String label) {
        return new DataSpec.Csv(train, Optional.empty(), label, false, ',', List.of(), 0.2, false);
    }

    /**
     * {@code rows} rows "x,c,y": x = row number, c = a/b/c in turn, y = two classes alternating, so a 0.2 holdout
     * splits every class.
     */
    static String table(int rows) {
        StringBuilder s = new StringBuilder("x,c,y\n");
        for (int i = 0; i < rows; i++) {
            s.append(i).append(',').append("abc".charAt(i % 3)).append(',').append(i % 2 == 0 ? "yes" : "no")
                    .append('\n');
        }
        return s.toString();
    }
}
