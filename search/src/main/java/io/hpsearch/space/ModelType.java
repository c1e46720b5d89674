package io.hpsearch.space;

import java.util.Locale;

/** The kinds of network a space can describe. */
public enum ModelType {
    /** Dense layers on the flattened image. */
    MLP,
    /** Convolution blocks (convolutions, max pooling, dropout), then dense layers. */
    CNN;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
