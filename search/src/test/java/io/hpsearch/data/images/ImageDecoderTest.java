package io.hpsearch.data.images;

import io.hpsearch.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.hpsearch.data.images.TestImages.RGB_2X2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every format and colour mode the image folders accept decodes to the right values. These run on the pom's
 * exclusions, so they are also the proof that decoding needs none of the excluded natives.
 */
class ImageDecoderTest {
    /** The 2x2 image in RGB, channel-major: red plane, green plane, blue plane; each row-major. */
    private static final float[] RGB_2X2_CHW = {
            1, 0, 0, 1,
            0, 1, 0, 1,
            0, 0, 1, 1};

    @TempDir
    Path dir;

    private final ImageDecoder rgb = new ImageDecoder(2, 2, 3);
    private final ImageDecoder grey = new ImageDecoder(2, 2, 1);

    @Test
    void rgbPngGivesItsColoursOver255ChannelMajorInRgbOrder() {
        Path file = TestImages.write(TestImages.image(BufferedImage.TYPE_INT_RGB, RGB_2X2), "png", dir.resolve("a.png"));
        assertArrayEquals(RGB_2X2_CHW, rgb.decode(file));
    }

    @Test
    void greyPngGivesItsSamplesOver255() {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] samples = {0, 51, 204, 255};
        image.getRaster().setPixels(0, 0, 2, 2, samples);
        Path file = TestImages.write(image, "png", dir.resolve("g.png"));
        float[] expected = {0, 51 / 255f, 204 / 255f, 1};
        assertArrayEquals(expected, grey.decode(file));
        // Grey made RGB: the same plane three times.
        assertArrayEquals(concat(expected, expected, expected), rgb.decode(file));
    }

    @Test
    void colourMadeGreyUsesTheUsualWeights() {
        Path file = TestImages.write(TestImages.image(BufferedImage.TYPE_INT_RGB, RGB_2X2), "png", dir.resolve("a.png"));
        // 0.299 R + 0.587 G + 0.114 B of red, green, blue, white.
        assertArrayEquals(new float[]{76 / 255f, 150 / 255f, 29 / 255f, 1}, grey.decode(file), 1.01f / 255);
    }

    @Test
    void alphaIsDroppedAndTheColoursStayInRgbOrder() {
        int[][] argb = {{0xFFFF0000, 0x8000FF00}, {0x400000FF, 0x00FFFFFF}};
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                image.setRGB(x, y, argb[y][x]);
            }
        }
        Path file = TestImages.write(image, "png", dir.resolve("rgba.png"));
        assertArrayEquals(RGB_2X2_CHW, rgb.decode(file));
    }

    @Test
    void palettePngAndGifDecodeToTheirColours() {
        // (Not a palette BMP: the JDK's BMP writer garbles those, so the test could not write a valid one.)
        for (String format : new String[]{"png", "gif"}) {
            // 8x8 quadrants: halved twice by the resize, they give the 2x2 colours back exactly.
            Path file = TestImages.write(TestImages.palette(8), format, dir.resolve("p." + format));
            assertArrayEquals(RGB_2X2_CHW, rgb.decode(file), format);
        }
        Path gif = TestImages.write(TestImages.palette(8), "gif", dir.resolve("p.gif"));
        assertArrayEquals(new float[]{76 / 255f, 150 / 255f, 29 / 255f, 1}, grey.decode(gif), 1.01f / 255);
    }

    @Test
    void rgbBmpAndTiffDecodeToTheirColours() {
        for (String format : new String[]{"bmp", "tiff"}) {
            Path file = TestImages.write(TestImages.image(BufferedImage.TYPE_INT_RGB, RGB_2X2), format,
                    dir.resolve("c." + format));
            assertArrayEquals(RGB_2X2_CHW, rgb.decode(file), format);
        }
    }

    @Test
    void sixteenBitPngIsScaledToTheSameRange() {
        Path file = TestImages.write(TestImages.grey16(new int[][]{{0, 65535}, {257 * 100, 257 * 200}}), "png",
                dir.resolve("g16.png"));
        assertArrayEquals(new float[]{0, 1, 100 / 255f, 200 / 255f}, grey.decode(file));
    }

    @Test
    void jpegDecodesCloseToItsColour() {
        Path file = TestImages.write(TestImages.solid(BufferedImage.TYPE_INT_RGB, 16, 16, 0xC86432), "jpeg",
                dir.resolve("x.JPG"));
        float[] decoded = new ImageDecoder(16, 16, 3).decode(file);
        float[] expected = concat(fill(200 / 255f), fill(100 / 255f), fill(50 / 255f));
        // JPEG is lossy: a few levels off at most on a flat colour.
        assertArrayEquals(expected, decoded, 4f / 255);
    }

    @Test
    void largerImagesAreResized() {
        // Four 2x2 quadrants of the 2x2 colours: halving gives the colours back exactly.
        int[][] big = new int[4][4];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                big[y][x] = RGB_2X2[y / 2][x / 2];
            }
        }
        Path file = TestImages.write(TestImages.image(BufferedImage.TYPE_INT_RGB, big), "png", dir.resolve("b.png"));
        assertArrayEquals(RGB_2X2_CHW, rgb.decode(file));
        ImageDecoder wide = new ImageDecoder(3, 5, 3);
        assertEquals(3 * 3 * 5, wide.decode(file).length);
    }

    @Test
    void randomBytesAreNamedAsNotAnImage() throws Exception {
        Path file = dir.resolve("x.png");
        Files.write(file, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        DataException e = assertThrows(DataException.class, () -> rgb.decode(file));
        assertEquals(file + ": not a readable image (corrupt, truncated, or not the format its name says);"
                + " replace or remove the file", e.getMessage());
    }

    @Test
    void aTruncatedPngIsNamedAsNotAnImage() throws Exception {
        Path whole = TestImages.png(dir.resolve("whole.png"), BufferedImage.TYPE_INT_RGB, 64, 64, 0x123456);
        byte[] bytes = Files.readAllBytes(whole);
        Path file = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length / 2));
        DataException e = assertThrows(DataException.class, () -> rgb.decode(file));
        assertEquals(file + ": not a readable image (corrupt, truncated, or not the format its name says);"
                + " replace or remove the file", e.getMessage());
    }

    @Test
    void anEmptyFileIsNamed() throws Exception {
        Path file = Files.createFile(dir.resolve("e.jpg"));
        DataException e = assertThrows(DataException.class, () -> rgb.decode(file));
        assertEquals(file + ": the file is empty, not an image; replace or remove it", e.getMessage());
    }

    private static float[] fill(float v) {
        float[] a = new float[16 * 16];
        Arrays.fill(a, v);
        return a;
    }

    private static float[] concat(float[]... parts) {
        float[] out = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
