package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.Examples;
import io.hpsearch.data.InputShape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's encoding, fitted on a run's training part: each numeric column standardised with that part's mean and
 * population standard deviation (1 when it is 0; an imputed missing cell becomes the mean, 0), each categorical
 * column one-hot over the categories that part has, sorted (plus a last slot for missing cells when they were
 * imputed there). A category the training part never saw, in validation, test or prediction rows, is all zeros.
 *
 * <p>{@link #describe()} saves everything in the model file; {@link #restore} rebuilds an encoding that encodes
 * bit for bit the same. {@link #read} reads new rows for {@code hpsearch predict}.
 */
public final class TableEncoding implements Encoding {
    public static final String KIND = "table";

    private final TableFormat format;
    private final List<ColumnEncoder> columns;
    private final int[] offsets;
    private final int width;

    private TableEncoding(TableFormat format, List<ColumnEncoder> columns) {
        this.format = format;
        this.columns = List.copyOf(columns);
        offsets = new int[columns.size()];
        int at = 0;
        for (int c = 0; c < columns.size(); c++) {
            offsets[c] = at;
            at += columns.get(c).size();
        }
        if (at == 0) {
            throw new DataException("the table has no feature values to encode: every feature column is "
                    + "categorical without a category in the training part");
        }
        width = at;
    }

    /** Fits on {@code trainingPart}, raw rows of a {@link CsvDataset} with {@code columns}. */
    static TableEncoding fit(TableFormat format, List<Column> columns, Examples trainingPart) {
        if (trainingPart.featureCount() != columns.size()) {
            throw new IllegalArgumentException("raw rows have " + trainingPart.featureCount() + " values, the "
                    + "table " + columns.size() + " feature columns");
        }
        float[] x = trainingPart.features();
        int width = columns.size();
        // Row by row rather than column by column: one sequential sweep of a large array is much faster.
        double[] sums = new double[width];
        long[] counts = new long[width];
        for (int row = 0; row < x.length; row += width) {
            for (int c = 0; c < width; c++) {
                float v = x[row + c];
                if (!Float.isNaN(v)) {
                    sums[c] += v;
                    counts[c]++;
                }
            }
        }
        double[] means = new double[width];
        for (int c = 0; c < width; c++) {
            means[c] = counts[c] == 0 ? 0 : sums[c] / counts[c];
        }
        double[] squares = new double[width];
        for (int row = 0; row < x.length; row += width) {
            for (int c = 0; c < width; c++) {
                float v = x[row + c];
                if (!Float.isNaN(v)) {
                    double d = v - means[c];
                    squares[c] += d * d;
                }
            }
        }
        List<ColumnEncoder> encoders = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            Column column = columns.get(c);
            encoders.add(column.numeric()
                    ? ColumnEncoder.numeric(column.name(), means[c],
                            counts[c] == 0 ? 0 : Math.sqrt(squares[c] / counts[c]))
                    : ColumnEncoder.fitCategorical(column.name(), column.values(), x, width, c));
        }
        return new TableEncoding(format, encoders);
    }

    @Override
    public InputShape shape() {
        return InputShape.table(width);
    }

    /** Raw rows of the dataset this was fitted on (or restored from) as standardised and one-hot values. */
    @Override
    public Examples encode(Examples raw) {
        int in = columns.size();
        if (raw.featureCount() != in) {
            throw new IllegalArgumentException("raw rows have " + raw.featureCount() + " values, the table "
                    + in + " feature columns");
        }
        float[] x = raw.features();
        int rows = raw.size();
        float[] out = new float[Math.multiplyExact(rows, width)];
        ColumnEncoder[] encoders = columns.toArray(new ColumnEncoder[0]);
        for (int r = 0; r < rows; r++) {
            int from = r * in;
            int to = r * width;
            for (int c = 0; c < in; c++) {
                encoders[c].encodeRaw(x[from + c], out, to + offsets[c]);
            }
        }
        return new Examples(out, raw.labels(), width);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", KIND);
        m.put("label", format.label());
        m.put("header", format.header());
        m.put("delimiter", String.valueOf(format.delimiter()));
        m.put("missing", format.impute() ? "impute" : "error");
        m.put("file_columns", format.fileColumns());
        m.put("label_index", format.labelIndex());
        m.put("features", width);
        List<Map<String, Object>> described = new ArrayList<>();
        for (ColumnEncoder column : columns) {
            described.add(column.describe());
        }
        m.put("columns", described);
        return m;
    }

    /**
     * Rebuilds what {@link #describe()} saved.
     *
     * @throws DataException when the description is incomplete
     */
    public static Encoding restore(Map<?, ?> description) {
        try {
            String delimiter = String.valueOf(description.get("delimiter"));
            if (delimiter.length() != 1) {
                throw new DataException("the model file's table delimiter '" + delimiter + "' is not one character");
            }
            TableFormat format = new TableFormat(String.valueOf(description.get("label")),
                    Boolean.TRUE.equals(description.get("header")), delimiter.charAt(0),
                    "impute".equals(description.get("missing")),
                    ((Number) description.get("file_columns")).intValue(),
                    ((Number) description.get("label_index")).intValue());
            List<ColumnEncoder> columns = new ArrayList<>();
            for (Object column : (List<?>) description.get("columns")) {
                columns.add(ColumnEncoder.restore((Map<?, ?>) column));
            }
            return new TableEncoding(format, columns);
        } catch (ClassCastException | NullPointerException e) {
            throw new DataException("the model file's table description is incomplete or damaged (" + e + ")", e);
        }
    }

    /**
     * Reads rows to predict from a CSV laid out like the training file, with the same delimiter. With a header,
     * columns are found by name in any order, extra ones are ignored and the label column may be left out; without
     * one, rows have the training file's fields at the same positions, or all but the label. Each row's id is the
     * physical line it starts on in the file (as text). A row with an empty label cell gets label -1 and makes
     * the input unlabelled; a label that is not one of {@code classes} is an error.
     *
     * @throws DataException naming the file, and line and column, that cannot be read
     */
    @Override
    public Inputs read(Path input, List<String> classes) {
        return new PredictionReader(format, columns, offsets, width).read(input, classes);
    }

    @Override
    public String toString() {
        return "TableEncoding" + columns + " -> " + width + " features";
    }
}
