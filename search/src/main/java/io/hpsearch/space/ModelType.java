package io.hpsearch.space;

import java.util.Locale;

/** The kinds of network a space can describe. */
public enum ModelType {
    /** Dense layers on the flattened image. */
    MLP,
    /** Convolution blocks (convolutions, max pooling, dropout), then dense layers. */
    CNN,
    /** A residual network: a stem convolution, stages of residual blocks, global average pooling, dense layers. */
    RESNET;

    /** Whether it reads images as images (the others' input is a flat row). */
    public boolean convolutional() {
        return this != MLP;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
