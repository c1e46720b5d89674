package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.Examples;
import io.hpsearch.data.Hashes;
import io.hpsearch.data.Holdout;
import io.hpsearch.data.Memory;
import io.hpsearch.data.Split;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV table as a run's dataset: one example per row, the label in one column, the features in the others.
 *
 * <p><b>Column types</b> are decided on the whole training file: a column is <em>numeric</em> when more than half
 * of its non-missing cells are numbers, otherwise it is <em>categorical</em> (every cell, number-like or not, is a
 * category). In a numeric column every cell must then be a finite number: text there is an error naming the file,
 * line, column and value (a typo like {@code abc} in an age column is caught rather than turning the column into
 * categories), and so are NaN and infinite values.
 *
 * <p><b>Missing cells</b> are empty, {@code NA}, {@code N/A} or {@code ?}. They are an error unless the spec says
 * {@code missing: impute}: then a numeric cell takes the mean of the training part the encoding is fitted on and a
 * text cell a category of its own. A missing label is always an error.
 *
 * <p><b>Classes</b> are the training file's distinct labels, sorted: numerically when all are integers
 * ({@code 2} before {@code 10}), else as text. Without a test file, a stratified {@code test_split} of the
 * training rows is held out first, with a fixed seed ({@link Holdout}).
 *
 * <p><b>Raw examples</b> ({@link #train()}, {@link #test()}) hold one float per feature column: the number (NaN
 * where missing) or the category's index in the column's values (-1 where missing). {@link #fit} turns them into
 * standardised numbers and one-hot categories, with statistics of the training part only.
 *
 * <p>The file is read twice (the first pass decides the column types, the second stores values), so no cell is
 * ever kept as a string and a million-row table needs little more memory than its floats.
 */
public final class CsvDataset implements Dataset {
    private final TableFormat format;
    private final List<Column> columns;
    private final List<String> classes;
    private final Examples train;
    private final Examples test;
    private final List<DataFile> files;

    private CsvDataset(TableFormat format, List<Column> columns, List<String> classes, Examples train,
                       Examples test, List<DataFile> files) {
        this.format = format;
        this.columns = List.copyOf(columns);
        this.classes = List.copyOf(classes);
        this.train = train;
        this.test = test;
        this.files = List.copyOf(files);
    }

    /**
     * Reads the training file (twice) and the test file (once).
     *
     * @throws DataException naming the file, line and column that cannot be used
     */
    public static Dataset load(DataSpec.Csv spec) {
        TrainingScan scan = TrainingScan.of(spec);
        Selection selection = scan.selection();
        List<String> classes = scan.classes();
        boolean[] numeric = scan.numericColumns();
        int width = numeric.length;
        Vocabulary[] vocabularies = new Vocabulary[width];
        for (int f = 0; f < width; f++) {
            vocabularies[f] = numeric[f] ? null : new Vocabulary();
        }
        List<String> names = selection.featureNames();
        RowDecoder decoder = new RowDecoder(spec.header(), spec.imputeMissing(), names, numeric, vocabularies,
                selection.labelName(), classes);

        Examples all;
        try (CsvReader reader = CsvReader.open(spec.train(), spec.delimiter())) {
            if (spec.header()) {
                reader.next();
            }
            all = decoder.decode(reader, selection.names().size(), selection.label(), selection.features(),
                    scan.rows(), "the column is numeric elsewhere");
        }
        checkWidth(spec.train(), names, numeric, vocabularies, all.size());
        Examples test;
        if (spec.test().isPresent()) {
            test = readTest(spec, spec.test().get(), selection, decoder);
        } else {
            Split held = Holdout.testSplit(all, spec.testSplit(), spec.train().toString(), classes);
            all = held.train();
            test = held.validation();
        }

        List<Column> columns = new ArrayList<>();
        for (int f = 0; f < width; f++) {
            columns.add(new Column(names.get(f), numeric[f], numeric[f] ? List.of() : vocabularies[f].values()));
        }
        List<DataFile> files = new ArrayList<>();
        files.add(new DataFile("train", spec.train().toString(), Hashes.sha256(spec.train())));
        spec.test().ifPresent(p -> files.add(new DataFile("test", p.toString(), Hashes.sha256(p))));
        TableFormat format = new TableFormat(selection.labelName(), spec.header(), spec.delimiter(),
                spec.imputeMissing(), selection.names().size(), selection.label());
        return new CsvDataset(format, columns, classes, all, test, files);
    }

    /** Text columns with more values than this, and more than half as many as rows, are identifiers. */
    private static final int MAX_CATEGORIES_UNCHECKED = 100;

    /**
     * Refuses a table that one-hot encoding would blow up: a text column that is an identifier (a customer id, a
     * name: nearly one value per row), and a table whose encoded copy would not fit in the heap. Both are usual
     * mistakes with real exports, and both would otherwise end in an out-of-memory crash.
     */
    private static void checkWidth(Path file, List<String> names, boolean[] numeric, Vocabulary[] vocabularies,
                                   int rows) {
        long width = 0;
        for (int f = 0; f < numeric.length; f++) {
            int values = numeric[f] ? 1 : vocabularies[f].values().size();
            if (!numeric[f] && values > MAX_CATEGORIES_UNCHECKED && values > rows / 2) {
                throw new DataException(file + ": column '" + names.get(f) + "' has " + values + " different values in "
                        + rows + " rows: an identifier or free text, not a category; leave it out by listing the "
                        + "other columns in dataset.features");
            }
            width += values;
        }
        // The encoded training, validation and test parts together hold one float per row and encoded column, beside
        // the raw table (one float per row and column) already in memory.
        long needed = (long) rows * width * Float.BYTES;
        long available = Memory.availableFor(needed);
        if (needed > available) {
            throw new DataException(file + ": the table encodes to " + width + " columns (a text column counts once "
                    + "per category) x " + rows + " rows, about " + (needed >> 20) + " MB, more than the "
                    + (available >> 20) + " MB of memory left to Java; leave wide text columns out with "
                    + "dataset.features, or " + Memory.MORE_MEMORY);
        }
    }

    /** The test file's columns are found by name with a header (any order), by position without one. */
    private static Examples readTest(DataSpec.Csv spec, Path file, Selection selection, RowDecoder decoder) {
        try (CsvReader reader = CsvReader.open(file, spec.delimiter())) {
            if (!reader.next()) {
                throw new DataException(file + ": the file is empty; it needs " + (spec.header()
                        ? "a header row and data rows" : "data rows"));
            }
            int fields = reader.size();
            int label = selection.label();
            int[] positions = selection.features();
            if (spec.header()) {
                List<String> lookedUp = new ArrayList<>(selection.featureNames());
                lookedUp.add(selection.labelName());
                List<String> header = reader.header(lookedUp);
                List<String> missing = new ArrayList<>();
                label = find(header, selection.labelName(), missing);
                positions = new int[selection.features().length];
                for (int f = 0; f < positions.length; f++) {
                    positions[f] = find(header, selection.featureName(f), missing);
                }
                if (!missing.isEmpty()) {
                    throw new DataException(file + ": column" + (missing.size() == 1 ? " " : "s ")
                            + String.join(", ", missing) + " of the training file " + (missing.size() == 1 ? "is"
                            : "are") + " missing; the test file needs the same columns");
                }
            } else if (fields != selection.names().size()) {
                throw new DataException(file + ": rows have " + fields + " fields, the training file's have "
                        + selection.names().size() + "; the test file needs the same columns");
            }
            if (!spec.header()) {
                // The first row was read to count its fields: decode it by reading the file again from the start.
                reader.close();
                try (CsvReader again = CsvReader.open(file, spec.delimiter())) {
                    return decoder.decode(again, fields, label, positions, 0, "the column is numeric in the "
                            + "training file");
                }
            }
            return decoder.decode(reader, fields, label, positions, 0, "the column is numeric in the training "
                    + "file");
        }
    }

    private static int find(List<String> header, String name, List<String> missing) {
        int i = header.indexOf(name);
        if (i < 0) {
            missing.add("'" + name + "'");
        }
        return i;
    }

    @Override
    public String type() {
        return "csv";
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public Examples train() {
        return train;
    }

    @Override
    public Examples test() {
        return test;
    }

    @Override
    public List<DataFile> files() {
        return files;
    }

    @Override
    public List<String> features() {
        return columns.stream().map(Column::name).toList();
    }

    /** Standardisation and categories of {@code trainingPart} only; see {@link TableEncoding}. */
    @Override
    public TableEncoding fit(Examples trainingPart) {
        return TableEncoding.fit(format, columns, trainingPart);
    }
}
