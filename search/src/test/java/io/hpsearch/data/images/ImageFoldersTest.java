package io.hpsearch.data.images;

import io.hpsearch.data.DataException;
import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.Examples;
import io.hpsearch.data.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.awt.image.BufferedImage.TYPE_INT_ARGB;
import static java.awt.image.BufferedImage.TYPE_INT_RGB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFoldersTest {
    private static final String EXTENSIONS = ".png, .jpg, .jpeg, .bmp, .gif, .tif, .tiff";
    private static final InputShape SHAPE = InputShape.image(3, 4, 4);

    @TempDir
    Path dir;

    private static DataSpec.Images spec(Path train, Path test) {
        return new DataSpec.Images(train, Optional.ofNullable(test), 4, 4, 3, 0.5);
    }

    /** Two classes, mixed sizes and colour modes: cat holds red images, dog blue ones. */
    private Path twoClasses(Path root, int perClass) {
        for (int i = 0; i < perClass; i++) {
            TestImages.png(root.resolve("cat").resolve("c" + i + ".png"), i % 2 == 0 ? TYPE_INT_RGB : TYPE_INT_ARGB,
                    4 + i, 6 + 2 * i, 0xFF0000);
            TestImages.write(TestImages.solid(TYPE_INT_RGB, 9, 5 + i, 0x0000FF), i % 2 == 0 ? "png" : "bmp",
                    root.resolve("dog").resolve("d" + i + (i % 2 == 0 ? ".PNG" : ".bmp")));
        }
        return root;
    }

    @Test
    void mixedSizesAndColourModesAreResizedAndConverted() throws Exception {
        Path train = twoClasses(dir.resolve("train"), 2);
        // A grey image and a JPEG among them.
        TestImages.write(TestImages.grey(30, 7, 128), "png", train.resolve("cat").resolve("grey.png"));
        TestImages.write(TestImages.solid(TYPE_INT_RGB, 12, 12, 0x0000FF), "jpeg", train.resolve("dog/e.jpeg"));
        // Not images, or hidden: ignored.
        Files.writeString(train.resolve("cat").resolve("README"), "cats");
        Files.writeString(train.resolve(".DS_Store"), "x");
        Files.writeString(train.resolve("dog").resolve(".DS_Store"), "x");
        TestImages.png(train.resolve(".hidden").resolve("h.png"), TYPE_INT_RGB, 4, 4, 0);
        Path test = dir.resolve("test");
        TestImages.png(test.resolve("dog").resolve("t.png"), TYPE_INT_RGB, 3, 3, 0x0000FF);

        Dataset data = ImageFolders.load(spec(train, test));

        assertEquals("images", data.type());
        assertEquals(List.of("cat", "dog"), data.classes());
        assertEquals(List.of(), data.features());
        assertEquals(6, data.train().size());
        assertEquals(48, data.train().featureCount());
        // Sorted classes, files sorted by name within each: c0 c1 grey | d0 d1 e.
        assertArrayEquals(new int[]{0, 0, 0, 1, 1, 1}, data.train().labels());
        assertArrayEquals(new int[]{1}, data.test().labels());
        float[] x = data.train().features();
        assertArrayEquals(plane(1, 0, 0), Arrays.copyOfRange(x, 0, 48));
        assertArrayEquals(plane(1, 0, 0), Arrays.copyOfRange(x, 48, 96));
        assertArrayEquals(plane(128 / 255f, 128 / 255f, 128 / 255f), Arrays.copyOfRange(x, 96, 144));
        assertArrayEquals(plane(0, 0, 1), Arrays.copyOfRange(x, 144, 192));
        assertArrayEquals(plane(0, 0, 1), Arrays.copyOfRange(data.test().features(), 0, 48));
        // The README in a class folder is not read, and the data's record says so (hidden entries are not named).
        assertEquals(List.of(new Dataset.DataFile("train", train.toString(), ImageFolders.fingerprint(train),
                        List.of("cat/README")),
                new Dataset.DataFile("test", test.toString(), ImageFolders.fingerprint(test))), data.files());
        assertEquals(SHAPE, data.fit(data.train()).shape());
    }

    @Test
    void theFingerprintCoversTheImagesReadAndNothingElse() throws IOException {
        Path train = twoClasses(dir.resolve("train"), 2);
        String before = ImageFolders.fingerprint(train);
        Files.writeString(train.resolve("README.txt"), "notes");
        Files.writeString(train.resolve("cat/.DS_Store"), "finder");
        assertEquals(before, ImageFolders.fingerprint(train), "files the loader ignores do not count");
        try (var images = Files.list(train.resolve("cat"))) {
            Path first = images.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
            Files.write(first, Files.readAllBytes(first), java.nio.file.StandardOpenOption.APPEND);
        }
        assertNotEquals(before, ImageFolders.fingerprint(train), "a changed image does");
    }

    @Test
    void withoutATestFolderEachClassIsHeldOutTheSameWayEveryTime() {
        Path train = twoClasses(dir.resolve("train"), 4);
        Dataset data = ImageFolders.load(spec(train, null));
        assertEquals(4, data.train().size());
        assertEquals(4, data.test().size());
        assertArrayEquals(new int[]{2, 2}, data.test().classCounts(2));
        assertEquals(List.of(new Dataset.DataFile("train", train.toString(), ImageFolders.fingerprint(train))), data.files());
        Dataset again = ImageFolders.load(spec(train, null));
        assertEquals(data.train(), again.train());
        assertEquals(data.test(), again.test());
    }

    @Test
    void greyDatasetsHaveOneChannel() {
        Path train = twoClasses(dir.resolve("train"), 2);
        Dataset data = ImageFolders.load(new DataSpec.Images(train, Optional.empty(), 5, 3, 1, 0.5));
        assertEquals(15, data.train().featureCount());
        assertEquals(InputShape.image(1, 5, 3), data.fit(data.train()).shape());
    }

    @Test
    void aPredictedImageGivesTheSameValuesAsInTraining() throws Exception {
        Path train = twoClasses(dir.resolve("train"), 2);
        TestImages.write(TestImages.image(TYPE_INT_RGB, new int[][]{{0x102030, 0x405060, 0x708090},
                {0xA0B0C0, 0xD0E0F0, 0x123456}}), "png", train.resolve("cat").resolve("c9.png"));
        Dataset data = ImageFolders.load(spec(train, train));
        float[] inTraining = Arrays.copyOfRange(data.test().features(), 2 * 48, 3 * 48);

        Encoding.Inputs single = data.fit(data.train()).read(train.resolve("cat").resolve("c9.png"), data.classes());
        assertEquals(List.of("c9.png"), single.ids());
        assertFalse(single.labelled());
        assertArrayEquals(new int[]{-1}, single.examples().labels());
        assertArrayEquals(inTraining, single.examples().features());

        Encoding.Inputs folder = ImageFolders.readForPrediction(train.resolve("cat"), SHAPE, data.classes());
        assertEquals(List.of("c0.png", "c1.png", "c9.png"), folder.ids());
        assertFalse(folder.labelled());
        assertArrayEquals(new int[]{-1, -1, -1}, folder.examples().labels());
        assertArrayEquals(inTraining, Arrays.copyOfRange(folder.examples().features(), 2 * 48, 3 * 48));

        Encoding.Inputs labelled = ImageFolders.readForPrediction(train, SHAPE, data.classes());
        assertTrue(labelled.labelled());
        assertEquals(List.of("cat/c0.png", "cat/c1.png", "cat/c9.png", "dog/d0.PNG", "dog/d1.bmp"), labelled.ids());
        assertArrayEquals(new int[]{0, 0, 0, 1, 1}, labelled.examples().labels());
        assertEquals(data.test(), labelled.examples());
    }

    @Test
    void predictionClassFoldersMayBeASubsetInAnyOrder() {
        Path input = dir.resolve("in");
        TestImages.png(input.resolve("dog").resolve("a.png"), TYPE_INT_RGB, 4, 4, 0x0000FF);
        Encoding.Inputs in = ImageFolders.readForPrediction(input, SHAPE, List.of("cat", "dog"));
        assertArrayEquals(new int[]{1}, in.examples().labels());
        assertEquals(List.of("dog/a.png"), in.ids());
    }

    @Test
    void entriesAPredictionDoesNotReadAreListed() throws Exception {
        // A user expects every file of the folder to get a prediction: what is not read is named (a .webp photo,
        // a folder nested in a class folder); hidden files are not.
        Path input = dir.resolve("mixed");
        TestImages.png(input.resolve("dog").resolve("a.png"), TYPE_INT_RGB, 4, 4, 0x0000FF);
        Files.writeString(input.resolve("dog").resolve("b.webp"), "RIFF");
        TestImages.png(input.resolve("dog").resolve("2019").resolve("c.png"), TYPE_INT_RGB, 4, 4, 0x0000FF);
        Files.writeString(input.resolve("dog").resolve(".DS_Store"), "x");
        Encoding.Inputs in = ImageFolders.readForPrediction(input, SHAPE, List.of("cat", "dog"));
        assertEquals(List.of("dog/a.png"), in.ids());
        assertEquals(List.of("dog/2019/", "dog/b.webp"), in.skipped());

        Encoding.Inputs flat = ImageFolders.readForPrediction(input.resolve("dog").resolve("2019"), SHAPE,
                List.of("cat", "dog"));
        assertEquals(List.of(), flat.skipped());
        Files.writeString(input.resolve("dog").resolve("2019").resolve("notes.txt"), "x");
        assertEquals(List.of("notes.txt"), ImageFolders.readForPrediction(input.resolve("dog").resolve("2019"),
                SHAPE, List.of("cat", "dog")).skipped());
    }

    // ---- errors: one line, naming the folder or file and what to do

    @Test
    void missingFolder() {
        Path train = dir.resolve("nope");
        assertMessage(train + ": folder not found; dataset.train must name a folder with one subfolder of images per"
                + " class", () -> ImageFolders.load(spec(train, null)));
    }

    @Test
    void aFileInsteadOfAFolder() throws Exception {
        Path train = Files.writeString(dir.resolve("train.csv"), "a,b");
        assertMessage(train + ": is a file, not a folder; dataset.train must name a folder with one subfolder of"
                + " images per class", () -> ImageFolders.load(spec(train, null)));
    }

    @Test
    void imagesDirectlyInTheTrainingFolder() {
        Path train = dir.resolve("train");
        TestImages.png(train.resolve("a.png"), TYPE_INT_RGB, 4, 4, 0);
        TestImages.png(train.resolve("b.png"), TYPE_INT_RGB, 4, 4, 0);
        assertMessage(train + ": has no class subfolders (2 images lie directly in it); put each class's images in a"
                + " subfolder named after the class, e.g. " + train.resolve("cat").resolve("001.png"),
                () -> ImageFolders.load(spec(train, null)));
    }

    @Test
    void classFoldersWithoutImages() throws Exception {
        Path train = dir.resolve("train");
        Files.createDirectories(train.resolve("cat"));
        Files.createDirectories(train.resolve("dog"));
        Files.writeString(train.resolve("dog").resolve("notes.txt"), "x");
        assertMessage(train + ": its class subfolders hold no images (" + EXTENSIONS + "); put the images of each"
                + " class in its subfolder", () -> ImageFolders.load(spec(train, null)));
    }

    @Test
    void aClassFolderWithoutImages() throws Exception {
        Path train = twoClasses(dir.resolve("train"), 2);
        Files.createDirectories(train.resolve("emu"));
        assertMessage(train.resolve("emu") + ": class 'emu' has no images (" + EXTENSIONS + "); add its images or"
                + " remove the folder", () -> ImageFolders.load(spec(train, null)));
    }

    @Test
    void onlyOneClass() {
        Path train = dir.resolve("train");
        TestImages.png(train.resolve("cat").resolve("a.png"), TYPE_INT_RGB, 4, 4, 0);
        assertMessage(train + ": has only one class subfolder ('cat'); a classifier needs at least 2 classes, one"
                + " subfolder of images each", () -> ImageFolders.load(spec(train, null)));
    }

    @Test
    void aCorruptImageIsNamed() throws Exception {
        Path train = twoClasses(dir.resolve("train"), 2);
        Path bad = Files.write(train.resolve("dog").resolve("x.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2});
        // A second bad file later in folder order: the message always names the first.
        Files.write(train.resolve("dog").resolve("y.jpg"), new byte[]{1, 2, 3});
        assertMessage(bad + ": not a readable image (corrupt, truncated, or not the format its name says); replace"
                + " or remove the file", () -> ImageFolders.load(spec(train, null)));
    }

    @Test
    void aTestClassNotInTraining() {
        Path train = twoClasses(dir.resolve("train"), 2);
        Path test = dir.resolve("test");
        TestImages.png(test.resolve("cow").resolve("a.png"), TYPE_INT_RGB, 4, 4, 0);
        assertMessage(test.resolve("cow") + ": class 'cow' is not a training class (cat, dog); name each test"
                + " subfolder after a training class", () -> ImageFolders.load(spec(train, test)));
    }

    @Test
    void tooFewImagesToHoldOutATestSplit() {
        Path train = twoClasses(dir.resolve("train"), 2);
        TestImages.png(train.resolve("emu").resolve("a.png"), TYPE_INT_RGB, 4, 4, 0);
        assertMessage(train + ": class 'emu' has 1 example; at least 2 are needed to hold out a test split"
                + " (test_split: 0.5); add examples of it, or give the test examples with test:",
                () -> ImageFolders.load(spec(train, null)));
    }

    /** Tiny files that decode to 4096 x 4096 x 3 floats each (192 MB): sizes are checked before decoding. */
    private Path bigImages(int perClass) {
        Path train = dir.resolve("big");
        for (int i = 0; i < perClass; i++) {
            TestImages.png(train.resolve("cat").resolve("c" + i + ".png"), TYPE_INT_RGB, 2, 2, 0xFF0000);
            TestImages.png(train.resolve("dog").resolve("d" + i + ".png"), TYPE_INT_RGB, 2, 2, 0x0000FF);
        }
        return train;
    }

    @Test
    void imagesThatWouldNotFitInTheHeapAreRefusedBeforeDecoding() {
        // 42 images, 2.1 billion floats, twice over while split: 16 GB, above the test JVM's heap (a quarter of the
        // machine's memory) on any machine this suite runs on; the check says so before decoding one image.
        Path train = bigImages(21);
        long needed = 42L * 4096 * 4096 * 3 * Float.BYTES * 2;
        assertTrue(Runtime.getRuntime().maxMemory() < needed, "this test needs a heap below " + (needed >> 20) + " MB");
        DataSpec.Images big = new DataSpec.Images(train, Optional.empty(), 4096, 4096, 3, 0.5);
        DataException e = assertThrows(DataException.class, () -> ImageFolders.load(big));
        assertTrue(e.getMessage().startsWith(train + ": 42 images at 4096x4096x3 need about " + (needed >> 20)
                + " MB of memory (2 copies while they are split into parts), more than the "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" MB left to Java; use a smaller height and width, fewer images, or give"
                + " Java more memory (HPSEARCH_JAVA_OPTS=-Xmx...)"), e.getMessage());
    }

    @Test
    void imagesBeyondOneArrayAreRefused() {
        Path train = bigImages(22);
        DataSpec.Images big = new DataSpec.Images(train, Optional.empty(), 4096, 4096, 3, 0.5);
        assertMessage(train + ": 44 images at 4096x4096x3 are 2214592512 values, more than one array holds; use a"
                + " smaller height and width, or fewer images", () -> ImageFolders.load(big));
    }

    @Test
    void predictionErrors() throws Exception {
        List<String> classes = List.of("cat", "dog");
        Path missing = dir.resolve("missing.png");
        assertMessage(missing + ": not found; give an image file (" + EXTENSIONS + ") or a folder of images",
                () -> ImageFolders.readForPrediction(missing, SHAPE, classes));
        Path text = Files.writeString(dir.resolve("a.txt"), "x");
        assertMessage(text + ": not an image file (" + EXTENSIONS + "); give an image file or a folder of images",
                () -> ImageFolders.readForPrediction(text, SHAPE, classes));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertMessage(empty + ": holds no images (" + EXTENSIONS + "); give a folder of images or a folder with one"
                + " subfolder of images per class", () -> ImageFolders.readForPrediction(empty, SHAPE, classes));
        Path bad = Files.write(dir.resolve("bad.jpg"), new byte[]{1, 2, 3});
        assertMessage(bad + ": not a readable image (corrupt, truncated, or not the format its name says); replace"
                + " or remove the file", () -> ImageFolders.readForPrediction(bad, SHAPE, classes));
        Path unknown = dir.resolve("in");
        TestImages.png(unknown.resolve("cow").resolve("a.png"), TYPE_INT_RGB, 4, 4, 0);
        assertMessage(unknown.resolve("cow") + ": class 'cow' is not a class of the model (cat, dog); name each"
                + " subfolder after one of its classes", () -> ImageFolders.readForPrediction(unknown, SHAPE, classes));
        TestImages.png(unknown.resolve("b.png"), TYPE_INT_RGB, 4, 4, 0);
        assertMessage(unknown + ": holds both images (b.png) and subfolders (cow); give either a folder of images or"
                + " a folder with one subfolder per class, not both",
                () -> ImageFolders.readForPrediction(unknown, SHAPE, classes));
    }

    /** A 4x4 image of one colour, channel-major. */
    private static float[] plane(float r, float g, float b) {
        float[] x = new float[48];
        Arrays.fill(x, 0, 16, r);
        Arrays.fill(x, 16, 32, g);
        Arrays.fill(x, 32, 48, b);
        return x;
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        DataException e = assertThrows(DataException.class, call);
        assertEquals(expected, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }
}
