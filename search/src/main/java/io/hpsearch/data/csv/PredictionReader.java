package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.Encoding.Inputs;
import io.hpsearch.data.Examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV of rows to predict with a fitted {@link TableEncoding}: each cell straight from its text to the
 * network's values, checked the way the training file was (file, line and column in every message).
 */
final class PredictionReader {
    private final TableFormat format;
    private final List<ColumnEncoder> columns;
    private final int[] offsets;
    private final int width;
    private final CellParser parser = new CellParser();

    PredictionReader(TableFormat format, List<ColumnEncoder> columns, int[] offsets, int width) {
        this.format = format;
        this.columns = columns;
        this.offsets = offsets;
        this.width = width;
    }

    Inputs read(Path file, List<String> classes) {
        Map<String, Integer> classIndex = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            classIndex.put(classes.get(i), i);
        }
        try (CsvReader reader = CsvReader.open(file, format.delimiter())) {
            if (!reader.next()) {
                throw new DataException(file + ": the file is empty; it needs " + (format.header()
                        ? "a header row and rows to predict" : "rows to predict"));
            }
            int fields = reader.size();
            int[] positions = new int[columns.size()];
            int label = format.header() ? byName(reader, file, positions) : byPosition(fields, file, positions);
            boolean firstIsData = !format.header();
            List<String> ids = new ArrayList<>();
            float[] x = new float[16 * width];
            int[] y = new int[16];
            // A label column whose cell is empty in some rows: those rows are predicted, unlabelled (-1).
            int labelledRows = 0;
            int rows = 0;
            while (firstIsData || reader.next()) {
                firstIsData = false;
                int line = reader.line();
                if (reader.size() != fields) {
                    throw Problems.ragged(file, line, reader.size(), fields, format.header());
                }
                if (rows == y.length) {
                    int grown = RowDecoder.grownRows(file, rows, width);
                    x = Arrays.copyOf(x, grown * width);
                    y = Arrays.copyOf(y, grown);
                }
                y[rows] = -1;
                if (label >= 0) {
                    String text = reader.text(label);
                    if (parser.parse(text) != CellParser.MISSING) {
                        Integer c = classIndex.get(text);
                        if (c == null) {
                            throw Problems.unknownClass(file, line, text, classes);
                        }
                        y[rows] = c;
                        labelledRows++;
                    }
                }
                for (int c = 0; c < columns.size(); c++) {
                    encodeCell(reader, positions[c], columns.get(c), x, rows * width + offsets[c], line);
                }
                ids.add(Integer.toString(line));
                rows++;
            }
            if (rows == 0) {
                throw new DataException(file + ": the file has a header but no rows to predict");
            }
            return new Inputs(List.copyOf(ids), new Examples(Arrays.copyOf(x, rows * width),
                    Arrays.copyOf(y, rows), width), labelledRows > 0);
        }
    }

    private void encodeCell(CsvReader reader, int field, ColumnEncoder column, float[] x, int at, int line) {
        Path file = reader.file();
        int kind = parser.parse(reader.chars(), reader.start(field), reader.end(field));
        if (kind == CellParser.MISSING) {
            if (!format.impute()) {
                throw Problems.missingCell(file, line, column.name(), format.header(), reader.text(field));
            }
            if (column.numeric()) {
                x[at] = column.encodeNumber(Float.NaN);
            } else {
                column.encodeCategory(null, x, at);
            }
        } else if (!column.numeric()) {
            column.encodeCategory(reader.text(field), x, at);
        } else if (kind == CellParser.NUMBER) {
            x[at] = column.encodeNumber(parser.value());
        } else if (kind == CellParser.NOT_FINITE) {
            throw Problems.notFinite(file, line, column.name(), format.header(), reader.text(field));
        } else {
            throw Problems.notANumber(file, line, column.name(), format.header(), reader.text(field),
                    "the column is numeric in the training data");
        }
    }

    /** Finds each feature's field by header name; returns the label's field, or -1 when the input has none. */
    private int byName(CsvReader reader, Path file, int[] positions) {
        List<String> lookedUp = new ArrayList<>(columns.stream().map(ColumnEncoder::name).toList());
        lookedUp.add(format.label());
        List<String> header = reader.header(lookedUp);
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            positions[c] = header.indexOf(columns.get(c).name());
            if (positions[c] < 0) {
                missing.add("'" + columns.get(c).name() + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException(file + ": the header lacks the training column" + (missing.size() == 1 ? " "
                    : "s ") + String.join(", ", missing) + "; the columns are: " + String.join(", ", header));
        }
        return header.indexOf(format.label());
    }

    /**
     * Without a header the training file's positions hold: all its fields, or all but the label (the later
     * fields moving one to the left).
     */
    private int byPosition(int fields, Path file, int[] positions) {
        int all = format.fileColumns();
        boolean withLabel = fields == all;
        if (!withLabel && fields != all - 1) {
            throw new DataException(file + ": rows have " + fields + " fields; the training file's rows had " + all
                    + " (" + (all - 1) + " without the label column " + format.labelIndex() + ")");
        }
        for (int c = 0; c < columns.size(); c++) {
            int p = Integer.parseInt(columns.get(c).name());
            positions[c] = withLabel || p < format.labelIndex() ? p : p - 1;
        }
        return withLabel ? format.labelIndex() : -1;
    }
}
