package io.hpsearch.space;

/** The type of a parameter's values. */
public enum ParamType {
    INTEGER, DECIMAL, TEXT, BOOLEAN
}
