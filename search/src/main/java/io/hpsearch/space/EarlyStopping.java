package io.hpsearch.space;

/**
 * Stop a trial once {@code metric} has not improved by more than {@code minDelta} for {@code patience} epochs;
 * the trial keeps the weights and score of its best epoch.
 */
public record EarlyStopping(int patience, double minDelta, Metric metric) {
    public enum Metric {
        VAL_LOSS("val_loss", false), VAL_ACCURACY("val_accuracy", true);

        private final String key;
        private final boolean maximise;

        Metric(String key, boolean maximise) {
            this.key = key;
            this.maximise = maximise;
        }

        public String key() {
            return key;
        }

        public boolean maximise() {
            return maximise;
        }
    }
}
