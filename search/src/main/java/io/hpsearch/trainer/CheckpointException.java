package io.hpsearch.trainer;

/** A stored checkpoint that cannot continue its trial (another layout, another network): it trains from scratch. */
public final class CheckpointException extends RuntimeException {
    CheckpointException(String reason) {
        super(reason);
    }
}
