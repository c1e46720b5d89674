package io.hpsearch.space;

/** What kind of value a space key holds. */
public enum ParamType {
    INTEGER, DECIMAL, TEXT
}
