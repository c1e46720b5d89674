package io.hpsearch.store;

import java.util.Optional;

/** What a run optimises, and in which direction. */
public enum Objective {
    VAL_ACCURACY("val_accuracy", true),
    VAL_LOSS("val_loss", false);

    private final String key;
    private final boolean maximise;

    Objective(String key, boolean maximise) {
        this.key = key;
        this.maximise = maximise;
    }

    public String key() {
        return key;
    }

    public boolean maximise() {
        return maximise;
    }

    /** This objective's value in one epoch's metrics. */
    public double of(EpochMetrics metrics) {
        return switch (this) {
            case VAL_ACCURACY -> metrics.valAccuracy();
            case VAL_LOSS -> metrics.valLoss();
        };
    }

    /** Whether {@code candidate} beats {@code incumbent} by more than {@code margin}, in this objective's direction. */
    public boolean beats(double candidate, double incumbent, double margin) {
        return maximise ? candidate > incumbent + margin : candidate < incumbent - margin;
    }

    public static Optional<Objective> fromKey(String key) {
        for (Objective o : values()) {
            if (o.key.equals(key)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
