package io.hpsearch.data.images;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Images the tests write themselves with javax.imageio, so that no test needs files from outside the repository. */
final class TestImages {
    /** Red, green / blue, white: the 2x2 image whose decoded values the tests know. */
    static final int[][] RGB_2X2 = {{0xFF0000, 0x00FF00}, {0x0000FF, 0xFFFFFF}};

    private TestImages() {
    }

    /** An image of {@code type} whose pixels are {@code rgb[row][column]}. */
    static BufferedImage image(int type, int[][] rgb) {
        BufferedImage image = new BufferedImage(rgb[0].length, rgb.length, type);
        for (int y = 0; y < rgb.length; y++) {
            for (int x = 0; x < rgb[y].length; x++) {
                image.setRGB(x, y, rgb[y][x] | 0xFF000000);
            }
        }
        return image;
    }

    /** A solid image of {@code type}, {@code height x width}. */
    static BufferedImage solid(int type, int height, int width, int rgb) {
        int[][] pixels = new int[height][width];
        for (int[] row : pixels) {
            java.util.Arrays.fill(row, rgb);
        }
        return image(type, pixels);
    }

    /** A solid 8-bit grey image; its samples set directly (setRGB would convert to Java's linear grey). */
    static BufferedImage grey(int height, int width, int sample) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        int[] samples = new int[height * width];
        java.util.Arrays.fill(samples, sample);
        image.getRaster().setPixels(0, 0, width, height, samples);
        return image;
    }

    /**
     * The 2x2 colours as {@code size x size} quadrants, with a palette of exactly those four colours. (The JDK's GIF
     * writer loses rows of images smaller than 8x8, so a GIF test needs {@code size} 8 or more.)
     */
    static BufferedImage palette(int size) {
        byte[] r = {(byte) 255, 0, 0, (byte) 255};
        byte[] g = {0, (byte) 255, 0, (byte) 255};
        byte[] b = {0, 0, (byte) 255, (byte) 255};
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 4, r, g, b));
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.getRaster().setSample(x, y, 0, 2 * (2 * y / size) + 2 * x / size);
            }
        }
        return image;
    }

    /** A 16-bit grey image whose samples are {@code samples[row][column]} (0-65535). */
    static BufferedImage grey16(int[][] samples) {
        BufferedImage image = new BufferedImage(samples[0].length, samples.length, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < samples.length; y++) {
            for (int x = 0; x < samples[y].length; x++) {
                image.getRaster().setSample(x, y, 0, samples[y][x]);
            }
        }
        return image;
    }

    /** Writes {@code image} in {@code format} (png, jpeg, bmp, gif, tiff) to {@code file}, making its folder. */
    static Path write(BufferedImage image, String format, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("javax.imageio has no " + format + " writer for this image type");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path png(Path file, int type, int height, int width, int rgb) {
        return write(solid(type, height, width, rgb), "png", file);
    }
}
