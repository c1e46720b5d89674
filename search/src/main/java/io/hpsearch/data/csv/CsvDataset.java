package io.hpsearch.data.csv;

import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;

/** A CSV table as a run's dataset. (Stub: being written.) */
public final class CsvDataset {
    private CsvDataset() {
    }

    public static Dataset load(DataSpec.Csv spec) {
        throw new UnsupportedOperationException("CSV data sets are not written yet");
    }
}
