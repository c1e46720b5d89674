package io.hpsearch.data.images;

import io.hpsearch.data.DataException;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.loader.NativeImageLoader;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYCOLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * Decodes one image file to network input: resized to {@code height x width}, converted to {@code channels} (1 grey
 * or 3 RGB), pixels divided by 255, stored flat channel-major (all red values, then green, then blue).
 *
 * <p>Colour channels are in <b>RGB</b> order, not OpenCV's native BGR, so a saved model means the same thing to any
 * other program that feeds it RGB pixels. Grey is OpenCV's weighting (0.299 R + 0.587 G + 0.114 B). An alpha channel
 * is dropped (the colour under it is kept, not blended with a background). 16-bit images are scaled to 8 bits first
 * (divided by 257), so that they too end in [0, 1].
 *
 * <p>How: OpenCV decodes the bytes (with the flags DataVec's {@link NativeImageLoader} uses); the colour conversion
 * above is done here; DataVec's {@link NativeImageLoader} then resizes (bilinear) and lays the pixels out
 * channel-major. Two things of NativeImageLoader's are deliberately not used. Its own channel conversion keeps
 * OpenCV's BGR order and treats a 4-channel (BGRA) image as RGBA, swapping red and blue for those alone. And when
 * OpenCV cannot decode a file it falls back to Leptonica, whose conversion (in 1.0.0-M2.1) wraps pixels it has
 * already freed for palette images, and whose natives the pom leaves out. Here a file OpenCV cannot decode gets a
 * second try with {@code javax.imageio} (GIF, which OpenCV 4.5 does not read, and the odd file OpenCV rejects) and
 * goes on through the same conversion; only a file neither can read is an error.
 *
 * <p>Not thread-safe: keep one per thread (it holds a {@link NativeImageLoader}, which is cheap to make).
 */
final class ImageDecoder {
    private final int height;
    private final int width;
    private final int channels;
    private final NativeImageLoader loader;

    ImageDecoder(int height, int width, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 (grey) or 3 (RGB) channels, not " + channels);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.loader = new NativeImageLoader(height, width, channels);
    }

    /** {@code channels * height * width} values in [0, 1]. */
    float[] decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read the file (" + e.getMessage() + ")", e);
        }
        if (bytes.length == 0) {
            throw new DataException(file + ": the file is empty, not an image; replace or remove it");
        }
        Mat decoded = decodeBytes(file, bytes);
        Mat eightBit = null;
        Mat converted = null;
        INDArray array = null;
        try {
            eightBit = toEightBit(file, decoded);
            converted = toChannels(file, eightBit);
            array = loader.asMatrix(converted);
            float[] pixels = array.data().asFloat();
            if (pixels.length != channels * height * width) {
                throw new IllegalStateException(file + ": decoded to " + pixels.length + " values, expected "
                        + channels + "x" + height + "x" + width);
            }
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] /= 255f;
            }
            return pixels;
        } catch (IOException e) {
            throw new DataException(file + ": cannot convert the image (" + e.getMessage() + ")", e);
        } finally {
            // Native memory: freed now rather than whenever the garbage collector gets to it.
            close(converted, eightBit);
            close(eightBit, decoded);
            decoded.close();
            if (array != null) {
                array.close();
            }
        }
    }

    private static void close(Mat mat, Mat unlessSameAs) {
        if (mat != null && mat != unlessSameAs) {
            mat.close();
        }
    }

    private static Mat decodeBytes(Path file, byte[] bytes) {
        Mat image;
        try (Mat encoded = new Mat(bytes)) {
            image = imdecode(encoded, IMREAD_ANYDEPTH | IMREAD_ANYCOLOR);
        }
        if (image != null && !image.empty()) {
            return image;
        }
        if (image != null) {
            image.close();
        }
        // OpenCV 4.5 has no GIF decoder, and rejects some files Java writes (4-bit palette BMPs): the JDK's own
        // decoders get a second try before the file is called unreadable.
        Mat fallback = decodeWithImageIo(bytes);
        if (fallback != null) {
            return fallback;
        }
        throw new DataException(file + ": not a readable image (corrupt, truncated, or not the format its name says);"
                + " replace or remove the file");
    }

    /**
     * The image (a GIF's first frame) as OpenCV would have decoded it: 8-bit grey as it is, anything else 8-bit BGR;
     * null when the JDK cannot read it either.
     */
    private static Mat decodeWithImageIo(byte[] bytes) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (image == null) {
            return null;
        }
        int h = image.getHeight();
        int w = image.getWidth();
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // The samples themselves: getRGB would pass them through Java's linear-grey-to-sRGB conversion.
            int[] samples = image.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            byte[] grey = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                grey[i] = (byte) samples[i];
            }
            Mat mat = new Mat(h, w, CV_8UC1);
            mat.data().put(grey);
            return mat;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] bgr = new byte[3 * argb.length];
        for (int i = 0; i < argb.length; i++) {
            bgr[3 * i] = (byte) argb[i];
            bgr[3 * i + 1] = (byte) (argb[i] >> 8);
            bgr[3 * i + 2] = (byte) (argb[i] >> 16);
        }
        Mat mat = new Mat(h, w, CV_8UC3);
        mat.data().put(bgr);
        return mat;
    }

    private static Mat toEightBit(Path file, Mat image) {
        if (image.depth() == CV_8U) {
            return image;
        }
        if (image.depth() == CV_16U) {
            Mat out = new Mat();
            image.convertTo(out, CV_8U, 1 / 257.0, 0);
            return out;
        }
        throw new DataException(file + ": the image has " + (image.depth() >= 5 ? "floating-point" : "signed")
                + " samples; hpsearch reads 8- and 16-bit images: save it as an 8-bit PNG or JPEG");
    }

    /** The image in this decoder's channels: grey, or RGB from OpenCV's BGR / BGRA. */
    private Mat toChannels(Path file, Mat image) {
        int code;
        int in = image.channels();
        if (channels == 1) {
            if (in == 1) {
                return image;
            }
            code = in == 3 ? COLOR_BGR2GRAY : in == 4 ? COLOR_BGRA2GRAY : -1;
        } else {
            code = in == 1 ? COLOR_GRAY2RGB : in == 3 ? COLOR_BGR2RGB : in == 4 ? COLOR_BGRA2RGB : -1;
        }
        if (code < 0) {
            throw new DataException(file + ": the image has " + in + " channels; hpsearch reads grey, RGB and RGBA"
                    + " images: save it as one of those");
        }
        Mat out = new Mat();
        cvtColor(image, out, code);
        return out;
    }

    /** Lower-case, without the dot; empty when the name has none. */
    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
