package io.hpsearch.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IDX files as a dataset: the classes are the labels that occur, as EMNIST's letters (labelled 1-26) need. */
class DatasetsTest {
    @TempDir
    Path dir;

    private Path images(String name, int count) throws IOException {
        return Files.write(dir.resolve(name), IdxFiles.images(2051, count, 2, 2, new byte[count * 4]));
    }

    private Path labels(String name, byte... labels) throws IOException {
        return Files.write(dir.resolve(name), IdxFiles.labels(2049, labels.length, labels));
    }

    @Test
    void labelsThatStartAtOneAreRenumberedToTheirClasses() throws IOException {
        Path trainImages = images("train-images", 6);
        Path trainLabels = labels("train-labels", (byte) 1, (byte) 2, (byte) 3, (byte) 1, (byte) 2, (byte) 3);
        Path testImages = images("test-images", 2);
        Path testLabels = labels("test-labels", (byte) 3, (byte) 1);

        Dataset numbered = Datasets.load(new DataSpec.Idx(trainImages, trainLabels, Optional.of(testImages),
                Optional.of(testLabels), 0.2, List.of()), () -> null);
        assertEquals(List.of("1", "2", "3"), numbered.classes());
        assertArrayEquals(new int[]{0, 1, 2, 0, 1, 2}, numbered.train().labels());
        assertArrayEquals(new int[]{2, 0}, numbered.test().labels());
        assertEquals(InputShape.image(1, 2, 2), numbered.fit(numbered.train()).shape());

        Dataset named = Datasets.load(new DataSpec.Idx(trainImages, trainLabels, Optional.of(testImages),
                Optional.of(testLabels), 0.2, List.of("n/a", "a", "b", "c")), () -> null);
        assertEquals(List.of("a", "b", "c"), named.classes(), "dataset.classes names labels 0, 1, 2, ...");

        Path strayTest = labels("stray-labels", (byte) 3, (byte) 7);
        DataException e = assertThrows(DataException.class, () -> Datasets.load(new DataSpec.Idx(trainImages,
                trainLabels, Optional.of(testImages), Optional.of(strayTest), 0.2, List.of()), () -> null));
        assertEquals(strayTest + ": label 7 at index 1 is not a class of the training labels (1, 2, 3)",
                e.getMessage());
    }

    @Test
    void aTestSetWithTheTrainingImagesIsRefused() throws IOException {
        Path trainImages = images("train-images", 2);
        Path trainLabels = labels("train-labels", (byte) 0, (byte) 1);
        Path copy = Files.copy(trainImages, dir.resolve("copy-images"));
        DataException e = assertThrows(DataException.class, () -> Datasets.load(new DataSpec.Idx(trainImages,
                trainLabels, Optional.of(copy), Optional.of(trainLabels), 0.2, List.of()), () -> null));
        assertEquals("dataset.test_images: " + copy + " holds the same data as dataset.train_images (" + trainImages
                + "); the test set must be examples the search never trains on: give other examples, or leave "
                + "test_images out to hold out test_split of the training data", e.getMessage());

        // Refused before either file is decoded: a copy of a file the reader refuses (a byte after its images)
        // is told as a copy, in the time it takes to hash it, not after the whole of it was read.
        byte[] good = Files.readAllBytes(trainImages);
        Path broken = Files.write(dir.resolve("broken-images"), java.util.Arrays.copyOf(good, good.length + 1));
        Path brokenCopy = Files.copy(broken, dir.resolve("broken-copy"));
        DataException early = assertThrows(DataException.class, () -> Datasets.load(new DataSpec.Idx(broken,
                trainLabels, Optional.of(brokenCopy), Optional.of(trainLabels), 0.2, List.of()), () -> null));
        assertTrue(early.getMessage().startsWith("dataset.test_images: " + brokenCopy + " holds the same data as "
                + "dataset.train_images (" + broken + ")"), early.getMessage());
        // A missing file named twice is missing, not a copy.
        Path missing = dir.resolve("missing-images");
        DataException notFound = assertThrows(DataException.class, () -> Datasets.load(new DataSpec.Idx(missing,
                trainLabels, Optional.of(missing), Optional.of(trainLabels), 0.2, List.of()), () -> null));
        assertTrue(notFound.getMessage().startsWith(missing + ": "), notFound.getMessage());
        assertTrue(!notFound.getMessage().contains("holds the same data"), notFound.getMessage());
    }

    @Test
    void imagesThatWouldNotFitInTheHeapAreRefusedBeforeTheirPixelsAreRead() throws IOException {
        // 120 images of 4096 x 4096: 2.0 billion floats, twice over while split, 16 GB; the header alone is written.
        Path big = Files.write(dir.resolve("big-images"), IdxFiles.images(2051, 120, 4096, 4096, new byte[0]));
        Path labels = labels("big-labels", new byte[120]);
        long needed = 120L * 4096 * 4096 * Float.BYTES * 2;
        assertTrue(Runtime.getRuntime().maxMemory() < needed, "this test needs a heap below " + (needed >> 20) + " MB");
        DataException e = assertThrows(DataException.class, () -> Datasets.load(new DataSpec.Idx(big, labels,
                Optional.empty(), Optional.empty(), 0.2, List.of()), () -> null));
        assertTrue(e.getMessage().startsWith(big + ": 120 images of 4096x4096 need about " + (needed >> 20)
                + " MB of memory (2 copies while they are split into parts), more than the "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" MB left to Java; give Java more memory (HPSEARCH_JAVA_OPTS=-Xmx...)"),
                e.getMessage());
    }
}
