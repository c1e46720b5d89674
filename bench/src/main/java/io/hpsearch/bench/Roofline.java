package io.hpsearch.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The machine's ceiling for dense layers: ND4J's single-precision matrix multiply. */
final class Roofline {
    private Roofline() {
    }

    /** GFLOPS of repeated n x n float matrix products with the current ND4J thread settings. */
    static double sgemmGflops(int n, double seconds) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        for (int i = 0; i < 3; i++) {
            a.mmuli(b, c);
        }
        long reps = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            a.mmuli(b, c);
            reps++;
            now = System.nanoTime();
        } while (now < end);
        return 2.0 * n * n * n * reps / ((now - start) / 1e9) / 1e9;
    }
}
