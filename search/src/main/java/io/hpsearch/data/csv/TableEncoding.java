package io.hpsearch.data.csv;

import io.hpsearch.data.Encoding;

import java.util.Map;

/** A table's fitted encoding. (Stub: being written.) */
public final class TableEncoding {
    public static final String KIND = "table";

    private TableEncoding() {
    }

    public static Encoding restore(Map<?, ?> description) {
        throw new UnsupportedOperationException("table encodings are not written yet");
    }
}
