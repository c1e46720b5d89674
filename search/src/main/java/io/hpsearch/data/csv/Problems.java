package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;

import java.nio.file.Path;
import java.util.List;

/**
 * The one-line messages a CSV source fails with, in one place so that training, test and prediction files say
 * the same thing about the same problem: file, line, column, what is wrong and what to do.
 */
final class Problems {
    private Problems() {
    }

    /** {@code 'age'} with a header; {@code 3} (the 0-based index, also the column's name) without one. */
    static String column(String name, boolean header) {
        return header ? "'" + name + "'" : name;
    }

    static String where(Path file, int line, String column, boolean header) {
        return file + ": line " + line + ", column " + column(column, header);
    }

    static DataException missingCell(Path file, int line, String column, boolean header, String text) {
        return new DataException(where(file, line, column, header) + ": the value is missing ("
                + (text.isEmpty() ? "empty cell" : "'" + text + "'") + "); fill it in, or set missing: impute "
                + "to use the training mean (numbers) or a category of its own (text)");
    }

    static DataException notFinite(Path file, int line, String column, boolean header, String text) {
        String word = text.replaceFirst("^[+-]", "").toLowerCase(java.util.Locale.ROOT);
        boolean literal = word.equals("nan") || word.equals("inf") || word.equals("infinity");
        return new DataException(where(file, line, column, header) + ": '" + text + "' is "
                + (literal ? "NaN or infinite" : "beyond the range of 32-bit floats (about 3.4e38)")
                + "; numeric cells must be finite numbers (leave the cell empty, with missing: impute, for an "
                + "unknown value)");
    }

    static DataException notANumber(Path file, int line, String column, boolean header, String text,
                                    String why) {
        return new DataException(where(file, line, column, header) + ": '" + text + "' is not a number (" + why
                + ")");
    }

    static DataException missingLabel(Path file, int line, String label, boolean header) {
        return new DataException(file + ": line " + line + ": the label (column " + column(label, header)
                + ") is missing; every row needs one");
    }

    static DataException ragged(Path file, int line, int fields, int expected, boolean header) {
        return new DataException(file + ": line " + line + " has " + fields + " field" + (fields == 1 ? "" : "s")
                + ", the " + (header ? "header" : "first row") + " has " + expected + "; quote fields that "
                + "contain the delimiter");
    }

    static DataException unknownClass(Path file, int line, String label, List<String> classes) {
        return new DataException(file + ": line " + line + ": label '" + label + "' is not one of the classes ("
                + String.join(", ", classes) + ")");
    }
}
