package io.hpsearch.data;

/** A data file or directory that cannot be used; the message names the file and says what to do. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
