package io.hpsearch.data.csv;

/**
 * How the training file was laid out, which a prediction file must follow.
 *
 * @param label       the label column's name (its 0-based index as text without a header)
 * @param header      whether the first row names the columns
 * @param impute      {@code missing: impute}
 * @param fileColumns fields per row of the training file
 * @param labelIndex  the label column's 0-based position in the training file
 */
record TableFormat(String label, boolean header, char delimiter, boolean impute, int fileColumns, int labelIndex) {
}
