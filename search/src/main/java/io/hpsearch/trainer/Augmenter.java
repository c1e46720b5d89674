package io.hpsearch.trainer;

import io.hpsearch.space.TrainingSpec;

import java.util.Random;

/**
 * Random shifts and mirror images of square training images, applied to each minibatch row as it is copied, so
 * the shared training set itself never changes. Seeded per trial, like everything else random in a trial.
 */
final class Augmenter {
    private final int shift;
    private final boolean flip;
    private final int side;
    private final Random random;
    private final float[] scratch;

    Augmenter(TrainingSpec.Augment spec, int side, Random random) {
        this.shift = spec.shift();
        this.flip = spec.horizontalFlip();
        this.side = side;
        this.random = random;
        this.scratch = new float[side * side];
    }

    /** Rewrites the image at {@code x[offset..offset + side*side)}; pixels shifted in from outside are 0. */
    void apply(float[] x, int offset) {
        int dx = shift == 0 ? 0 : random.nextInt(2 * shift + 1) - shift;
        int dy = shift == 0 ? 0 : random.nextInt(2 * shift + 1) - shift;
        boolean mirror = flip && random.nextBoolean();
        if (dx == 0 && dy == 0 && !mirror) {
            return;
        }
        for (int row = 0; row < side; row++) {
            for (int col = 0; col < side; col++) {
                int fromRow = row - dy;
                int fromCol = (mirror ? side - 1 - col : col) - dx;
                boolean inside = fromRow >= 0 && fromRow < side && fromCol >= 0 && fromCol < side;
                scratch[row * side + col] = inside ? x[offset + fromRow * side + fromCol] : 0f;
            }
        }
        System.arraycopy(scratch, 0, x, offset, scratch.length);
    }
}
