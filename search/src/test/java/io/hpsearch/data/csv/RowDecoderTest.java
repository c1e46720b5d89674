package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training scan's row count sizes the decoded table: a table too large for one array or for the heap is refused
 * before a value is decoded (they ended in a NegativeArraySizeException or an OutOfMemoryError).
 */
class RowDecoderTest {
    @TempDir
    Path dir;

    private static RowDecoder decoder() {
        return new RowDecoder(true, false, List.of("a", "b"), new boolean[]{true, true}, new Vocabulary[2], "kind",
                List.of("x", "y"));
    }

    private Examples decode(Path file, int rowsHint) {
        try (CsvReader reader = CsvReader.open(file, ',')) {
            reader.next();
            return decoder().decode(reader, 3, 2, new int[]{0, 1}, rowsHint, "why");
        }
    }

    @Test
    void aTableBeyondOneArrayIsRefused() {
        Path file = CsvFiles.write(dir, "t.csv", "a,b,kind\n1,2,x\n");
        DataException e = assertThrows(DataException.class, () -> decode(file, 1_500_000_000));
        assertEquals(file + ": 1500000000 rows x 2 columns are more values than one array holds; leave columns out "
                + "with dataset.features, or use fewer rows", e.getMessage());
    }

    @Test
    void aTableBeyondTheHeapIsRefused() {
        Path file = CsvFiles.write(dir, "t.csv", "a,b,kind\n1,2,x\n");
        int rows = 1_000_000_000; // 2 billion values, 8 GB
        assertTrue(Runtime.getRuntime().maxMemory() < 8L * rows, "this test needs a heap below 8 GB");
        DataException e = assertThrows(DataException.class, () -> decode(file, rows));
        assertTrue(e.getMessage().startsWith(file + ": 1000000000 rows x 2 columns need about 7629 MB of memory, more "
                + "than the "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" MB left to Java; leave columns out with dataset.features, or use fewer "
                + "rows, or give Java more memory (HPSEARCH_JAVA_OPTS=-Xmx...)"), e.getMessage());
    }

    @Test
    void aFileWhoseRowsWereNotCountedIsRefusedAsItOutgrowsTheHeap() throws Exception {
        // A test file is read without a row count: it grows as it is read, and ran into an OutOfMemoryError. Here in
        // a JVM of 128 MB, whose 6 million rows need more than it has at their second-last doubling.
        Path file = dir.resolve("big.csv");
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(file)) {
            w.write("a,b,kind\n");
            for (int i = 0; i < 6_000_000; i++) {
                w.write("1,2,x\n");
            }
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")), Probe.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("DataException: " + file + ": more than "), out);
        assertTrue(out.contains(" rows x 2 columns need about "), out);
    }

    /** Decodes the file in its own JVM and prints how that ended. */
    public static final class Probe {
        public static void main(String[] args) {
            try (CsvReader reader = CsvReader.open(Path.of(args[0]), ',')) {
                reader.next();
                Examples examples = decoder().decode(reader, 3, 2, new int[]{0, 1}, 0, "why");
                System.out.println("decoded " + examples.size());
            } catch (DataException e) {
                System.out.println("DataException: " + e.getMessage());
            } catch (OutOfMemoryError e) {
                System.out.println("OutOfMemoryError: " + e.getMessage());
            }
        }
    }

    @Test
    void aTableThatFitsIsDecoded() {
        Path file = CsvFiles.write(dir, "t.csv", "a,b,kind\n1,2,x\n3,4,y\n");
        Examples examples = decode(file, 2);
        assertEquals(2, examples.size());
    }
}
