package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.DataSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first pass over the training file: its header, its row count, its labels and, per feature column, how many
 * cells are numbers, text or missing. It decides each column's type before any value is stored, so the second
 * pass ({@link RowDecoder}) can put numbers straight into floats. Structural problems (a ragged row, a missing
 * label, a missing cell without {@code missing: impute}) fail here, at their line.
 */
final class TrainingScan {
    private final DataSpec.Csv spec;
    private final Selection selection;
    private final int[] numbers;
    private final int[] texts;
    private final int[] firstTextLine;
    private final String[] firstText;
    private final int[] firstNotFiniteLine;
    private final String[] firstNotFinite;
    private final Map<String, Integer> labelCounts = new HashMap<>();
    private final CellParser parser = new CellParser();
    private int rows;

    private TrainingScan(DataSpec.Csv spec, Selection selection) {
        this.spec = spec;
        this.selection = selection;
        int n = selection.features().length;
        numbers = new int[n];
        texts = new int[n];
        firstTextLine = new int[n];
        firstText = new String[n];
        firstNotFiniteLine = new int[n];
        firstNotFinite = new String[n];
    }

    /** Reads the whole training file once. */
    static TrainingScan of(DataSpec.Csv spec) {
        Path file = spec.train();
        try (CsvReader reader = CsvReader.open(file, spec.delimiter())) {
            if (!reader.next()) {
                throw new DataException(file + ": the file is empty; it needs " + (spec.header()
                        ? "a header row and data rows" : "data rows"));
            }
            List<String> names = spec.header() ? reader.header(null) : Selection.indexNames(reader.size());
            TrainingScan scan = new TrainingScan(spec, Selection.resolve(spec, names));
            if (!spec.header()) {
                scan.row(reader);
            }
            while (reader.next()) {
                scan.row(reader);
            }
            if (scan.rows == 0) {
                throw new DataException(file + ": the file has a header but no data rows");
            }
            return scan;
        }
    }

    private void row(CsvReader reader) {
        Path file = spec.train();
        int line = reader.line();
        if (reader.size() != selection.names().size()) {
            throw Problems.ragged(file, line, reader.size(), selection.names().size(), spec.header());
        }
        char[] chars = reader.chars();
        int labelAt = selection.label();
        if (parser.parse(chars, reader.start(labelAt), reader.end(labelAt)) == CellParser.MISSING) {
            throw Problems.missingLabel(file, line, selection.labelName(), spec.header());
        }
        labelCounts.merge(reader.text(labelAt), 1, Integer::sum);
        int[] features = selection.features();
        for (int f = 0; f < features.length; f++) {
            int start = reader.start(features[f]);
            int end = reader.end(features[f]);
            switch (parser.parse(chars, start, end)) {
                case CellParser.MISSING:
                    if (!spec.imputeMissing()) {
                        throw Problems.missingCell(file, line, selection.featureName(f), spec.header(),
                                reader.text(features[f]));
                    }
                    break;
                case CellParser.NUMBER:
                    numbers[f]++;
                    break;
                case CellParser.NOT_FINITE:
                    numbers[f]++;
                    if (firstNotFinite[f] == null) {
                        firstNotFiniteLine[f] = line;
                        firstNotFinite[f] = reader.text(features[f]);
                    }
                    break;
                default:
                    texts[f]++;
                    if (firstText[f] == null) {
                        firstTextLine[f] = line;
                        firstText[f] = reader.text(features[f]);
                    }
                    break;
            }
        }
        rows++;
    }

    Selection selection() {
        return selection;
    }

    int rows() {
        return rows;
    }

    /**
     * The distinct labels, sorted: numerically when every label is an integer ("2" before "10"), else as text.
     *
     * @throws DataException when there are fewer than 2
     */
    List<String> classes() {
        List<String> classes = new ArrayList<>(labelCounts.keySet());
        if (classes.size() < 2) {
            throw new DataException(spec.train() + ": every row has the label '" + classes.get(0) + "' (column "
                    + Problems.column(selection.labelName(), spec.header()) + "); a classifier needs at least 2 "
                    + "classes");
        }
        if (classes.stream().allMatch(TrainingScan::isInteger)) {
            classes.sort(Comparator.comparing((String s) -> new java.math.BigInteger(s.startsWith("+")
                    ? s.substring(1) : s)).thenComparing(Comparator.naturalOrder()));
        } else {
            classes.sort(Comparator.naturalOrder());
        }
        return classes;
    }

    private static boolean isInteger(String s) {
        return s.matches("[+-]?[0-9]+");
    }

    /**
     * Whether feature {@code f} is numeric: more than half of its non-missing cells are numbers.
     *
     * @throws DataException when it is numeric but some cell is text, NaN or infinite (the earliest such cell of
     *                       all columns is named), or when it has no value at all
     */
    boolean[] numericColumns() {
        int n = numbers.length;
        boolean[] numeric = new boolean[n];
        DataException first = null;
        int firstLine = Integer.MAX_VALUE;
        for (int f = 0; f < n; f++) {
            String name = selection.featureName(f);
            int values = numbers[f] + texts[f];
            if (values == 0) {
                throw new DataException(spec.train() + ": column " + Problems.column(name, spec.header())
                        + " has no values, only missing cells; leave it out with features:");
            }
            numeric[f] = numbers[f] * 2 > values;
            if (numeric[f] && firstText[f] != null && firstTextLine[f] < firstLine) {
                firstLine = firstTextLine[f];
                first = Problems.notANumber(spec.train(), firstTextLine[f], name, spec.header(), firstText[f],
                        "the column is numeric elsewhere: " + numbers[f] + " of " + values + " values are numbers");
            }
            if (numeric[f] && firstNotFinite[f] != null && firstNotFiniteLine[f] < firstLine) {
                firstLine = firstNotFiniteLine[f];
                first = Problems.notFinite(spec.train(), firstNotFiniteLine[f], name, spec.header(),
                        firstNotFinite[f]);
            }
        }
        if (first != null) {
            throw first;
        }
        return numeric;
    }
}
