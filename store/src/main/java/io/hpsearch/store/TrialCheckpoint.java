package io.hpsearch.store;

/**
 * A running trial's training state after one of its epochs, as the trainer wrote it (opaque to the store): what an
 * interrupted trial continues from. The store keeps the trial's epochs up to this one when it restarts the trial.
 */
public record TrialCheckpoint(int execution, int epoch, byte[] state) {
}
