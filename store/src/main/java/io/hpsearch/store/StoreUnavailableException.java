package io.hpsearch.store;

/**
 * The database server stayed unreachable for longer than the store retries a statement: nothing is wrong with what
 * was asked, and the same call may succeed once the server is back. A worker waiting for runs keeps waiting; a run
 * in progress is left as its heartbeat leaves it (interrupted, to be resumed), never failed for it.
 */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
