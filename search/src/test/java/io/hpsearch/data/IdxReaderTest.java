package io.hpsearch.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** Three 2x2 images: pixel values 0..11, labels 0, 9, 4. */
    private Path images() throws IOException {
        byte[] pixels = new byte[12];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 20);
        }
        pixels[11] = (byte) 255;
        return IdxFiles.gzip(dir.resolve("images.gz"), IdxFiles.images(2051, 3, 2, 2, pixels));
    }

    private Path labels() throws IOException {
        return IdxFiles.gzip(dir.resolve("labels.gz"), IdxFiles.labels(2049, 3, new byte[]{0, 9, 4}));
    }

    @Test
    void readsImagesScaledToUnitRangeWithTheirLabels() throws IOException {
        Examples examples = IdxReader.read(images(), labels(), 10);

        assertEquals(3, examples.size());
        assertEquals(4, examples.featureCount());
        assertArrayEquals(new int[]{0, 9, 4}, examples.labels());
        assertEquals(0f, examples.features()[0]);
        assertEquals(20 / 255f, examples.features()[1], 1e-7);
        assertEquals(1f, examples.features()[11]);
    }

    @Test
    void truncatedImageFileNamesTheFileAndHowMuchItHolds() throws IOException {
        byte[] full = IdxFiles.images(2051, 3, 2, 2, new byte[12]);
        Path file = IdxFiles.gzip(dir.resolve("cut.gz"), Arrays.copyOf(full, full.length - 5));

        DataException e = assertThrows(DataException.class, () -> IdxReader.read(file, labels(), 10));

        assertEquals(file + ": file is truncated: it holds 1 of the 3 images its header announces. "
                + "Replace it with the original file.", e.getMessage());
    }

    @Test
    void bytesAfterTheAnnouncedImagesOrLabelsAreRefused() throws IOException {
        // A header whose count is too small (or two files joined) left the rest unread, in silence.
        byte[] images = IdxFiles.images(2051, 3, 2, 2, new byte[12]);
        Path longer = IdxFiles.gzip(dir.resolve("longer.gz"), Arrays.copyOf(images, images.length + 4));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(longer, labels(), 10));
        assertEquals(longer + ": holds 4 more byte(s) after the 3 images its header announces (a wrong count in the "
                + "header, or two files joined). Replace it with the original file.", e.getMessage());

        byte[] labels = IdxFiles.labels(2049, 3, new byte[]{0, 9, 4, 1});
        Path moreLabels = IdxFiles.gzip(dir.resolve("more-labels.gz"), labels);
        DataException l = assertThrows(DataException.class, () -> IdxReader.read(images(), moreLabels, 10));
        assertEquals(moreLabels + ": holds 1 more byte(s) after the 3 labels its header announces (a wrong count in "
                + "the header, or two files joined). Replace it with the original file.", l.getMessage());
    }

    @Test
    void gzipStreamCutShortIsTruncated() throws IOException {
        Path whole = images();
        byte[] gz = Files.readAllBytes(whole);
        Path file = Files.write(dir.resolve("cut-gzip.gz"), Arrays.copyOf(gz, gz.length / 2));

        DataException e = assertThrows(DataException.class, () -> IdxReader.read(file, labels(), 10));

        assertEquals(file + ": file is truncated: it holds an incomplete header or image. "
                + "Replace it with the original file.", e.getMessage());
    }

    @Test
    void wrongMagicSaysWhichFileItIs() throws IOException {
        Path swapped = labels();

        DataException e = assertThrows(DataException.class, () -> IdxReader.read(swapped, swapped, 10));

        assertEquals(swapped + ": is not an IDX image file (magic number 2049, expected 2051). "
                + "Replace it with the original file.", e.getMessage());
    }

    @Test
    void labelsFileWithImageMagicIsRejected() throws IOException {
        Path images = images();

        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, images, 10));

        assertEquals(images + ": is not an IDX label file (magic number 2051, expected 2049). "
                + "Replace it with the original file.", e.getMessage());
    }

    @Test
    void uncompressedIdxFileIsReadToo() throws IOException {
        // MNIST-format data sets (KMNIST, EMNIST) also come as plain IDX files.
        Path file = Files.write(dir.resolve("labels-idx1-ubyte"), IdxFiles.labels(2049, 3, new byte[]{0, 1, 2}));

        IdxReader.Images read = IdxReader.readImages(images(), file, 2);

        assertArrayEquals(new int[]{0, 1, 2}, read.examples().labels());
        assertEquals(2, read.height());
        assertEquals(2, read.width());
    }

    @Test
    void labelOutOfRangeIsRejected() throws IOException {
        Path file = IdxFiles.gzip(dir.resolve("bad-labels.gz"), IdxFiles.labels(2049, 3, new byte[]{0, 10, 2}));

        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images(), file, 10));

        assertEquals(file + ": has label 10 at index 1; labels must be 0-9. Replace it with the original file.",
                e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path file = IdxFiles.gzip(dir.resolve("two-labels.gz"), IdxFiles.labels(2049, 2, new byte[]{0, 1}));
        Path images = images();

        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, file, 10));

        assertEquals(images + ": holds 3 images but its label file holds 2 labels; the two files do not belong "
                + "together. Replace it with the original file.", e.getMessage());
    }

    @Test
    void absurdHeaderCountIsRejectedBeforeAllocating() throws IOException {
        Path file = IdxFiles.gzip(dir.resolve("huge.gz"), IdxFiles.labels(2049, -5, new byte[0]));

        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images(), file, 10));

        assertEquals(file + ": announces -5 labels. Replace it with the original file.", e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.gz");

        DataException e = assertThrows(DataException.class, () -> IdxReader.read(missing, missing, 10));

        assertEquals(missing + ": file not found", e.getMessage());
    }
}
