package io.hpsearch.space;

import java.util.Locale;

/** How candidates are drawn from a space. */
public enum SearchKind {
    RANDOM, GRID;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
