package io.hpsearch.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a pair of gzip-compressed IDX files (the MNIST format: images with magic 2051, labels with magic 2049)
 * into {@link Examples}, checking every header field so that a corrupt file fails here, naming the file,
 * and not deep inside ND4J.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;
    /** Larger than any real dataset in this format; guards the allocation against a corrupt header. */
    private static final int MAX_COUNT = 10_000_000;

    private IdxReader() {
    }

    /**
     * Training images and their labels; pixels scaled from 0-255 to [0, 1]; every label must be below
     * {@code classes}. Checked against the heap for the two copies held while the set is split into parts.
     */
    public static Examples read(Path images, Path labels, int classes) {
        return read(images, labels, classes, 2);
    }

    /** As {@link #read(Path, Path, int)}, for {@code copies} copies held at once (1 for a test file). */
    public static Examples read(Path images, Path labels, int classes, int copies) {
        int[] y = readLabels(labels, classes);
        return readImages(images, y, copies).examples();
    }

    /** Images of {@code height x width} grey pixels, flat, scaled to [0, 1]. */
    public record Images(Examples examples, int height, int width) {
    }

    /**
     * Images and their labels (0-255), whatever their size; gzip-compressed or not.
     *
     * @param copies copies of the images held at once: 2 for a training file, which is split into parts
     */
    public static Images readImages(Path images, Path labels, int copies) {
        return readImages(images, readLabels(labels, 256), copies);
    }

    private static int[] readLabels(Path file, int classes) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw corrupt(file, "is not an IDX label file (magic number " + magic + ", expected "
                        + LABELS_MAGIC + ")");
            }
            int count = count(file, in.readInt(), "labels");
            byte[] raw = in.readNBytes(count);
            if (raw.length < count) {
                throw truncated(file, raw.length + " of the " + count + " labels its header announces");
            }
            int[] y = new int[count];
            for (int i = 0; i < count; i++) {
                y[i] = raw[i] & 0xff;
                if (y[i] >= classes) {
                    throw corrupt(file, "has label " + y[i] + " at index " + i + "; labels must be 0-"
                            + (classes - 1));
                }
            }
            refuseTrailing(file, in, count + " labels");
            return y;
        } catch (EOFException e) {
            throw truncated(file, "an incomplete header");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static Images readImages(Path file, int[] labels, int copies) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw corrupt(file, "is not an IDX image file (magic number " + magic + ", expected "
                        + IMAGES_MAGIC + ")");
            }
            int count = count(file, in.readInt(), "images");
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096) {
                throw corrupt(file, "announces images of " + rows + "x" + cols + " pixels");
            }
            if (count != labels.length) {
                throw corrupt(file, "holds " + count + " images but its label file holds " + labels.length
                        + " labels; the two files do not belong together");
            }
            int width = rows * cols;
            if ((long) count * width > Integer.MAX_VALUE - 16) {
                throw corrupt(file, "announces " + count + " images of " + rows + "x" + cols + " pixels, more than "
                        + "hpsearch holds in memory at once");
            }
            // Before the pixels are read.
            Memory.require(file, count + " images of " + rows + "x" + cols, (long) count * width * Float.BYTES, copies,
                    "");
            float[] x = new float[count * width];
            byte[] image = new byte[width];
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(image, 0, width) < width) {
                    throw truncated(file, i + " of the " + count + " images its header announces");
                }
                int base = i * width;
                for (int p = 0; p < width; p++) {
                    x[base + p] = (image[p] & 0xff) / 255f;
                }
            }
            refuseTrailing(file, in, count + " images");
            return new Images(new Examples(x, labels, width), rows, cols);
        } catch (EOFException e) {
            throw truncated(file, "an incomplete header or image");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        }
        // IDX files come gzip-compressed (.gz, as published) or plain; the first two bytes tell which.
        java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 != 0x1f || b1 != 0x8b) {
            return new DataInputStream(buffered);
        }
        try {
            return new DataInputStream(new GZIPInputStream(buffered, 1 << 16));
        } catch (ZipException | EOFException e) {
            buffered.close();
            throw corrupt(file, "is not a gzip file (" + e.getMessage() + "); expected a .gz IDX file");
        }
    }

    private static int count(Path file, int count, String what) {
        if (count < 0 || count > MAX_COUNT) {
            throw corrupt(file, "announces " + count + " " + what);
        }
        return count;
    }

    /**
     * Bytes after what the header announces mean a wrong count or two files joined: the rest would be ignored in
     * silence (and with it examples the user meant to give).
     */
    private static void refuseTrailing(Path file, DataInputStream in, String announced) throws IOException {
        long more = in.skip(Long.MAX_VALUE);
        while (in.read() >= 0) {
            more += 1 + in.skip(Long.MAX_VALUE);
        }
        if (more > 0) {
            throw corrupt(file, "holds " + more + " more byte(s) after the " + announced + " its header announces "
                    + "(a wrong count in the header, or two files joined)");
        }
    }

    private static DataException corrupt(Path file, String problem) {
        return new DataException(file + ": " + problem + ". Replace it with the original file.");
    }

    private static DataException truncated(Path file, String holds) {
        return new DataException(file + ": file is truncated: it holds " + holds
                + ". Replace it with the original file.");
    }

    private static DataException unreadable(Path file, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DataException(file + ": cannot read it: " + reason + ". Replace it with the original file.", e);
    }
}
