package io.hpsearch.data.csv;

import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.Examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Not a test: times loading, fitting and encoding a large generated table and reports the heap it needs.
 * {@code java -cp search/target/classes:search/target/test-classes io.hpsearch.data.csv.CsvLoadTiming
 * /tmp/big.csv [rows] [columns]} (writes the file first when it does not exist).
 */
public final class CsvLoadTiming {
    private CsvLoadTiming() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/csv-timing.csv");
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int columns = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        if (!Files.exists(file)) {
            long t = System.nanoTime();
            write(file, rows, columns);
            System.out.printf("wrote %s (%d MB) in %.1f s%n", file, Files.size(file) >> 20, seconds(t));
        }
        long t0 = System.nanoTime();
        Dataset data = CsvDataset.load(new DataSpec.Csv(file, Optional.empty(), "label", true, ',', List.of(),
                0.2, false));
        long t1 = System.nanoTime();
        Encoding encoding = data.fit(data.train());
        long t2 = System.nanoTime();
        Examples encoded = encoding.encode(data.train());
        long t3 = System.nanoTime();
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long live = runtime.totalMemory() - runtime.freeMemory();
        System.out.printf("load %.2f s (%d train + %d test rows), fit %.2f s, encode %.2f s (%d features); "
                        + "live heap after gc %d MB, committed %d MB, max %d MB%n",
                (t1 - t0) / 1e9, data.train().size(), data.test().size(), (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                encoded.featureCount(), live >> 20, runtime.totalMemory() >> 20, runtime.maxMemory() >> 20);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void write(Path file, int rows, int columns) throws IOException {
        Random random = new Random(1);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append('f').append(c).append(',');
            }
            out.write(line.append("label\n").toString());
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                for (int c = 0; c < columns; c++) {
                    line.append(Math.round(random.nextGaussian() * 1e4) / 1e3).append(',');
                }
                out.write(line.append(random.nextInt(5)).append('\n').toString());
            }
        }
    }
}
