package io.hpsearch.runner;

/**
 * A run this process cannot work on because its data here differ from the run's (a file changed, or is another):
 * the run itself is fine, and a worker with the right data can take it.
 */
public final class DataMismatchException extends ResumeException {
    public DataMismatchException(String message) {
        super(message);
    }
}
