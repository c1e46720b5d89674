package io.hpsearch.bench;

import io.hpsearch.trainer.ThroughputProbe;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Duration;

/**
 * The machine's ceiling for dense layers: ND4J's single-precision matrix multiply, through {@code Nd4j.gemm} into a
 * preallocated row-major array. Not {@code mmuli}, which every run before commit e880a80 used: in ND4J 1.0.0-M2.1
 * it takes a slower path (about a third of gemm's speed on a 1024 x 1024 product here), the one DL4J's own dense
 * layers take, so once hpsearch's layers went through gemm they measured 105 % of that "roofline".
 */
final class Roofline {
    private Roofline() {
    }

    /** GFLOPS of repeated n x n float matrix products with the current ND4J thread settings. */
    static double sgemmGflops(int n, double seconds) {
        return ThroughputProbe.gemmFlopsPerSecond(n, Duration.ofNanos((long) (seconds * 1e9))) / 1e9;
    }

    /** The same product through {@code mmuli}, DL4J's own dense layers' path, for comparison. */
    static double mmuliGflops(int n, double seconds) {
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
