package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.Examples;
import io.hpsearch.data.Memory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the rows of the training or test file into raw examples once column types are known: numbers into
 * floats (NaN where missing), text into the column's {@link Vocabulary} index (-1 where missing), labels into
 * class indices. A cell that does not fit its column fails with file, line and column.
 */
final class RowDecoder {
    private final boolean header;
    private final boolean impute;
    private final List<String> names;
    private final boolean[] numeric;
    private final Vocabulary[] vocabularies;
    private final List<String> classes;
    private final Map<String, Integer> classIndex = new HashMap<>();
    private final String labelName;
    private final CellParser parser = new CellParser();

    /**
     * @param names        feature column names
     * @param vocabularies per feature, null for a numeric one
     */
    RowDecoder(boolean header, boolean impute, List<String> names, boolean[] numeric, Vocabulary[] vocabularies,
               String labelName, List<String> classes) {
        this.header = header;
        this.impute = impute;
        this.names = names;
        this.numeric = numeric;
        this.vocabularies = vocabularies;
        this.labelName = labelName;
        this.classes = classes;
        for (int i = 0; i < classes.size(); i++) {
            classIndex.put(classes.get(i), i);
        }
    }

    /**
     * Decodes every remaining row of {@code reader}.
     *
     * @param fields     how many fields each row must have
     * @param label      the label's field
     * @param positions  each feature's field
     * @param rowsHint   expected number of rows, to size the arrays (0 if unknown)
     * @param whyNumeric ends the message for text in a numeric column
     */
    Examples decode(CsvReader reader, int fields, int label, int[] positions, int rowsHint, String whyNumeric) {
        Path file = reader.file();
        int width = positions.length;
        int capacity = Math.max(rowsHint, 16);
        // The hint is the training scan's count: checked, with the heap, before a value is decoded.
        Memory.require(file, rowsHint + " rows x " + width + " columns",
                Float.BYTES * values(file, capacity, width, capacity + " rows"), 1,
                "leave columns out with dataset.features, or use fewer rows");
        float[] x = new float[capacity * width];
        int[] y = new int[capacity];
        int rows = 0;
        char[] chars;
        while (reader.next()) {
            int line = reader.line();
            if (reader.size() != fields) {
                throw Problems.ragged(file, line, reader.size(), fields, header);
            }
            if (rows == y.length) {
                int grown = grownRows(file, rows, width);
                x = Arrays.copyOf(x, grown * width);
                y = Arrays.copyOf(y, grown);
            }
            chars = reader.chars();
            if (parser.parse(chars, reader.start(label), reader.end(label)) == CellParser.MISSING) {
                throw Problems.missingLabel(file, line, labelName, header);
            }
            String labelText = reader.text(label);
            Integer c = classIndex.get(labelText);
            if (c == null) {
                throw Problems.unknownClass(file, line, labelText, classes);
            }
            y[rows] = c;
            int at = rows * width;
            for (int f = 0; f < width; f++) {
                int p = positions[f];
                int kind = parser.parse(chars, reader.start(p), reader.end(p));
                if (kind == CellParser.MISSING) {
                    if (!impute) {
                        throw Problems.missingCell(file, line, names.get(f), header, reader.text(p));
                    }
                    x[at + f] = numeric[f] ? Float.NaN : Column.MISSING_CATEGORY;
                } else if (!numeric[f]) {
                    x[at + f] = vocabularies[f].id(reader.text(p));
                } else if (kind == CellParser.NUMBER) {
                    x[at + f] = parser.value();
                } else if (kind == CellParser.NOT_FINITE) {
                    throw Problems.notFinite(file, line, names.get(f), header, reader.text(p));
                } else {
                    throw Problems.notANumber(file, line, names.get(f), header, reader.text(p), whyNumeric);
                }
            }
            rows++;
        }
        if (rows == 0) {
            throw new DataException(file + ": the file has " + (header ? "a header but " : "") + "no data rows");
        }
        return new Examples(rows == y.length ? x : Arrays.copyOf(x, rows * width),
                rows == y.length ? y : Arrays.copyOf(y, rows), width);
    }

    /**
     * How many rows the arrays of {@code rows} full rows grow to (twice as many), for rows not counted beforehand (a
     * test file, rows to predict). Each step is checked against the heap left, so that a huge file is refused in a
     * line rather than by an OutOfMemoryError or a NegativeArraySizeException.
     */
    static int grownRows(Path file, int rows, int width) {
        int grown = (int) Math.min((long) rows * 2, Integer.MAX_VALUE - 16);
        long values = values(file, grown, width, "more than " + rows + " rows");
        // The new arrays only: the old ones are in the heap already, counted as used.
        Memory.require(file, "more than " + rows + " rows x " + width + " columns",
                Float.BYTES * values + Integer.BYTES * (long) grown, 1,
                "leave columns out with dataset.features, or use fewer rows");
        return grown;
    }

    /** {@code rows x width} values, refused beyond what one Java array holds; {@code shown}: the rows, for people. */
    private static long values(Path file, int rows, int width, String shown) {
        long values = (long) rows * width;
        if (values > Integer.MAX_VALUE - 16) {
            throw new DataException(file + ": " + shown + " x " + width + " columns are more values than one array "
                    + "holds; leave columns out with dataset.features, or use fewer rows");
        }
        return values;
    }
}
