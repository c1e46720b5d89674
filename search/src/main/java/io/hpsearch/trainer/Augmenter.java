package io.hpsearch.trainer;

import io.hpsearch.data.InputShape;
import io.hpsearch.space.TrainingSpec;

import java.util.Random;

/**
 * Random shifts and mirror images of training images, applied to each minibatch row as it is copied, so the shared
 * training set itself never changes. Every channel of an image moves the same way. Seeded per trial, like
 * everything else random in a trial.
 */
final class Augmenter {
    private final int shift;
    private final boolean flip;
    private final int channels;
    private final int height;
    private final int width;
    private final Random random;
    private final float[] scratch;

    Augmenter(TrainingSpec.Augment spec, InputShape shape, Random random) {
        if (!shape.isImage()) {
            throw new IllegalArgumentException("augmentation applies to images, not " + shape.describe());
        }
        this.shift = spec.shift();
        this.flip = spec.horizontalFlip();
        this.channels = shape.channels();
        this.height = shape.height();
        this.width = shape.width();
        this.random = random;
        this.scratch = new float[shape.features()];
    }

    /** Rewrites the image at {@code x[offset..offset + features)}; pixels shifted in from outside are 0. */
    void apply(float[] x, int offset) {
        int dx = shift == 0 ? 0 : random.nextInt(2 * shift + 1) - shift;
        int dy = shift == 0 ? 0 : random.nextInt(2 * shift + 1) - shift;
        boolean mirror = flip && random.nextBoolean();
        if (dx == 0 && dy == 0 && !mirror) {
            return;
        }
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int row = 0; row < height; row++) {
                for (int col = 0; col < width; col++) {
                    int fromRow = row - dy;
                    int fromCol = (mirror ? width - 1 - col : col) - dx;
                    boolean inside = fromRow >= 0 && fromRow < height && fromCol >= 0 && fromCol < width;
                    scratch[base + row * width + col] = inside ? x[offset + base + fromRow * width + fromCol] : 0f;
                }
            }
        }
        System.arraycopy(scratch, 0, x, offset, scratch.length);
    }
}
