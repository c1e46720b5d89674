package io.hpsearch.web;

import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;

import java.util.Locale;
import java.util.Random;

/**
 * Finished runs written straight through the Store API, no training: trials with per-epoch curves, every third one
 * pruned part-way (as a pruner would leave it), for the dashboard's charts and for timing the API on large runs.
 */
final class FakeRuns {
    static final String SPACE = """
            name: %s
            search: random
            objective: %s
            max_trials: %d
            model:
              type: mlp
              hidden_layers: {min: 1, max: 2}
              units: {choice: [512, 256, 128, 64]}
              learning_rate: {min: 0.0001, max: 0.1, log: true}
            """;

    private FakeRuns() {
    }

    /**
     * @param objective val_accuracy or val_loss
     * @return the run's id
     */
    static long write(Store store, String name, String objective, int trials, int epochs, long seed) {
        String yaml = String.format(Locale.ROOT, SPACE, name, objective, trials);
        long runId = SearchRunner.record(store, SpaceParser.parse(yaml, "fake.yaml"), yaml, RunStatus.RUNNING);
        store.startRun(runId);
        boolean loss = objective.equals("val_loss");
        Random random = new Random(seed);
        int[] units = {512, 256, 128, 64};
        for (int n = 1; n <= trials; n++) {
            int layers = 1 + random.nextInt(2);
            double lr = Math.pow(10, -4 + 3 * random.nextDouble());
            StringBuilder params = new StringBuilder("{\"hidden_layers\": " + layers);
            for (int l = 1; l <= layers; l++) {
                params.append(", \"units_").append(l).append("\": ").append(units[random.nextInt(units.length)]);
            }
            params.append(", \"learning_rate\": ").append(lr).append('}');
            Trial trial = store.startTrial(runId, n, params.toString(), name + "-" + n);
            // The learning rate decides the final accuracy (best at 1e-2.5); curves rise towards it.
            double finalAccuracy = 0.9 - 0.04 * Math.pow(Math.log10(lr) + 2.5, 2);
            boolean pruned = n % 3 == 0;
            int last = pruned ? Math.max(1, epochs / 3) : epochs;
            double value = 0;
            for (int e = 1; e <= last; e++) {
                double accuracy = finalAccuracy * (1 - Math.pow(0.5, e));
                double valLoss = 2.3 * (1 - accuracy);
                value = loss ? valLoss : accuracy;
                store.recordEpoch(trial.id(), new EpochMetrics(1, e, valLoss * 1.1, valLoss, accuracy, 0.5));
            }
            if (pruned) {
                store.pruneTrial(trial.id(), last, value, "pruned after epoch " + last
                        + " by the asha pruner: behind the other trials at that rung");
            } else {
                store.completeTrial(trial.id(), value, null, last, last);
            }
        }
        store.finishRun(runId, RunStatus.COMPLETED, null);
        return runId;
    }
}
