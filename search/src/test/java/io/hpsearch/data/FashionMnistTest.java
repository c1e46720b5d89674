package io.hpsearch.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's slice of the real Fashion-MNIST files (testdata/fashion-mnist: 300 training and 100 test images
 * of each class, in the original format), and the split the runs train on.
 */
class FashionMnistTest {
    static final Path SLICE = Path.of("../testdata/fashion-mnist");
    private static FashionMnist data;

    @BeforeAll
    static void load() {
        data = FashionMnist.load(SLICE);
    }

    @Test
    void holdsBalancedClassesOf28By28GreyImages() {
        assertEquals(3000, data.train().size());
        assertEquals(1000, data.test().size());
        assertEquals(784, data.train().featureCount());
        int[] each = new int[10];
        Arrays.fill(each, 300);
        assertArrayEquals(each, data.train().classCounts(10));
        Dataset dataset = data.dataset();
        assertEquals(InputShape.image(1, 28, 28), dataset.fit(dataset.train()).shape());
        assertEquals(FashionMnist.CLASS_NAMES, dataset.classes());
        assertEquals("8e5d245f86932e2112aae92f88e1fe8c".length() * 2,
                dataset.files().get(0).sha256().length(), "a SHA-256 per file");
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : data.train().features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void defaultSplitIsStratifiedEightyToTwenty() {
        Split split = Split.stratified(data.train(), 0.2, 42, 0);

        assertEquals(2400, split.train().size());
        assertEquals(600, split.validation().size());
        int[] each = new int[10];
        Arrays.fill(each, 60);
        assertArrayEquals(each, split.validation().classCounts(10));
        Arrays.fill(each, 240);
        assertArrayEquals(each, split.train().classCounts(10));
    }

    @Test
    void splitIsReproducibleFromTheSeedAndDisjoint() {
        Split a = Split.stratified(data.train(), 0.2, 7, 0);
        Split b = Split.stratified(data.train(), 0.2, 7, 0);
        Split other = Split.stratified(data.train(), 0.2, 8, 0);

        assertEquals(a, b);
        assertNotEquals(a.validation(), other.validation());
        Set<Integer> trainRows = rows(a.train());
        long shared = rows(a.validation()).stream().filter(trainRows::contains).count();
        // Fashion-MNIST has a handful of duplicate images; a disjoint split of rows shares almost none.
        assertTrue(shared < 5, shared + " validation images also in training");
    }

    @Test
    void trainLimitCapsTrainingPerClassAndKeepsValidationWhole() {
        Split split = Split.stratified(data.train(), 0.2, 42, 1000);

        assertEquals(1000, split.train().size());
        assertEquals(600, split.validation().size());
        int[] each = new int[10];
        Arrays.fill(each, 100);
        assertArrayEquals(each, split.train().classCounts(10));
    }

    @Test
    void directoryMissingFilesListsThem(@TempDir Path dir) throws Exception {
        Files.copy(SLICE.resolve("t10k-labels-idx1-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));

        DataException e = assertThrows(DataException.class, () -> FashionMnist.load(dir));

        assertEquals(dir + ": missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                + "t10k-images-idx3-ubyte.gz. The directory must hold the four Fashion-MNIST .gz files.",
                e.getMessage());
    }

    /** Content hashes of the images, so rows can be compared across the two parts. */
    private static Set<Integer> rows(Examples examples) {
        int w = examples.featureCount();
        Set<Integer> rows = new HashSet<>();
        IntStream.range(0, examples.size()).forEach(i ->
                rows.add(Arrays.hashCode(Arrays.copyOfRange(examples.features(), i * w, (i + 1) * w))));
        return rows;
    }
}
