package io.hpsearch.runner;

/** A run cannot be resumed: it does not exist, is finished, or another process is running it. */
public class ResumeException extends RuntimeException {
    public ResumeException(String message) {
        super(message);
    }
}
