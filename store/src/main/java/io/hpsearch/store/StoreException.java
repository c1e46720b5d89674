package io.hpsearch.store;

/** The store cannot do what was asked: a database that cannot be opened, a write the schema refuses. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
