package io.hpsearch.store;

/** A run's best network so far: the trial that trained it, its score, and the model file's bytes (a zip). */
public record StoredModel(int trialNumber, double score, byte[] zip) {
}
