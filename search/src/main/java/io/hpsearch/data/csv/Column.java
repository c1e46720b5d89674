package io.hpsearch.data.csv;

import java.util.List;

/**
 * A feature column of the training file, as its raw examples hold it.
 *
 * @param name    its header name, or its 0-based index as text when the file has no header
 * @param numeric true: raw values are the numbers (NaN where missing); false: raw values are indices into
 *                {@code values} (-1 where missing)
 * @param values  a text column's distinct cells, in order of first appearance in the training then the test file;
 *                empty for a numeric column
 */
record Column(String name, boolean numeric, List<String> values) {
    /** Raw value of a missing cell of a text column. */
    static final float MISSING_CATEGORY = -1f;

    Column {
        values = List.copyOf(values);
    }
}
