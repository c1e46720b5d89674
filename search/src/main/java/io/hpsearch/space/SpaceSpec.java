package io.hpsearch.space;

import io.hpsearch.data.DataSpec;
import io.hpsearch.store.Objective;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A validated search space: what a space YAML file says, after defaults and command-line overrides.
 *
 * @param dataset                the data, paths resolved against {@code spaceDir}
 * @param spaceDir               the folder relative data paths were resolved against (the space file's, or a
 *                               dashboard's data root), kept so a stored space can be read again the same way
 * @param options                the samplers' settings and the pruner
 * @param maxConsecutiveFailures a run stops handing out trials once this many in a row have failed
 * @param maxRetries             how often a trial whose worker died is trained again by another worker before it
 *                               counts as failed
 * @param timeBudget             {@code max_minutes}: how long the run trains, counted by the database's clock from
 *                               when it starts; then no trial starts and running ones stop after their epoch
 */
public record SpaceSpec(String name, DataSpec dataset, Path spaceDir, SearchKind search, SearchOptions options,
                        int maxTrials,
                        int maxConsecutiveFailures, int maxRetries, long seed, Objective objective, int gridPoints,
                        TrainingSpec training, ModelSpec model, Optional<Duration> timeBudget) {

    public SpaceSpec withMaxTrials(int value) {
        return new SpaceSpec(name, dataset, spaceDir, search, options, value, maxConsecutiveFailures, maxRetries, seed,
                objective, gridPoints, training, model, timeBudget);
    }

    public SpaceSpec withSeed(long value) {
        return new SpaceSpec(name, dataset, spaceDir, search, options, maxTrials, maxConsecutiveFailures, maxRetries, value,
                objective, gridPoints, training, model, timeBudget);
    }

    /**
     * With other training settings. Where a user changes the epochs (run --epochs) the caller checks the pruner's
     * {@link PrunerSpec#idleWith}; a stored run's settings are taken as they were run.
     */
    public SpaceSpec withTraining(TrainingSpec value) {
        return new SpaceSpec(name, dataset, spaceDir, search, options, maxTrials, maxConsecutiveFailures, maxRetries,
                seed, objective, gridPoints, value, model, timeBudget);
    }

    public SpaceSpec withTimeBudget(Duration value) {
        return new SpaceSpec(name, dataset, spaceDir, search, options, maxTrials, maxConsecutiveFailures, maxRetries, seed,
                objective, gridPoints, training, model, Optional.of(value));
    }

    /** The space as it was run, every default filled in: stored with the run for provenance. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("dataset", dataset.describe());
        out.put("space_dir", spaceDir.toString());
        out.put("search", search.key());
        out.putAll(options.describe(search));
        out.put("max_trials", maxTrials);
        timeBudget.ifPresent(b -> out.put("max_minutes", minutes(b)));
        out.put("max_consecutive_failures", maxConsecutiveFailures);
        out.put("max_retries", maxRetries);
        out.put("seed", seed);
        out.put("objective", objective.key());
        out.put("grid_points", gridPoints);
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("epochs", training.epochs());
        train.put("batch_size", training.batchSize());
        train.put("validation_split", training.validationSplit());
        train.put("train_limit", training.trainLimit());
        train.put("executions_per_trial", training.executions());
        if (training.checkpoints()) {
            train.put("checkpoint_minutes", training.checkpointMinutes());
        }
        training.earlyStopping().ifPresent(e -> train.put("early_stopping",
                Map.of("patience", e.patience(), "min_delta", e.minDelta(), "metric", e.metric().key())));
        training.augment().ifPresent(a -> train.put("augment",
                Map.of("shift", a.shift(), "horizontal_flip", a.horizontalFlip())));
        out.put("training", train);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", model.type().key());
        for (ModelSpec.Entry entry : model.entries()) {
            if (entry instanceof ModelSpec.Shared shared) {
                m.put(shared.key(), describe(shared.param()));
            } else {
                ModelSpec.Group group = (ModelSpec.Group) entry;
                m.put(group.key(), describe(group.count()));
                for (ModelSpec.LayerParam p : group.perLayer()) {
                    boolean same = p.byLayer().stream().distinct().count() == 1;
                    m.put(p.key(), same ? describe(p.byLayer().get(0))
                            : Map.of("per_layer", p.byLayer().stream().map(SpaceSpec::describe).toList()));
                }
            }
        }
        out.put("model", m);
        return out;
    }

    /** What {@code max_minutes} (and --max-minutes) may be, in the words its errors use. */
    public static final String MINUTES_RULE = "must be more than 0 and at most 525600 (a year)";

    public static boolean validMinutes(double minutes) {
        return minutes > 0 && minutes <= 525_600;
    }

    /** The time budget {@code max_minutes} writes. */
    public static Duration ofMinutes(double minutes) {
        return Duration.ofMillis(Math.round(minutes * 60_000));
    }

    /** A time budget as {@code max_minutes} writes it. */
    public static double minutes(Duration budget) {
        return budget.toMillis() / 60_000.0;
    }

    /** The same for people: "30", "0.05". */
    public static String minutesText(Duration budget) {
        return new java.math.BigDecimal(budget.toMillis()).divide(java.math.BigDecimal.valueOf(60_000),
                java.math.MathContext.DECIMAL64).stripTrailingZeros().toPlainString();
    }

    private static Object describe(Param param) {
        if (param instanceof Param.Fixed fixed) {
            return fixed.value();
        }
        if (param instanceof Param.Choice choice) {
            return Map.of("choice", choice.values());
        }
        Param.Range range = (Param.Range) param;
        boolean whole = range.type() == ParamType.INTEGER;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", whole ? (Object) (int) range.min() : range.min());
        m.put("max", whole ? (Object) (int) range.max() : range.max());
        if (range.step() != null) {
            m.put("step", whole ? (Object) range.step().intValue() : range.step());
        }
        if (range.log()) {
            m.put("log", true);
        }
        return m;
    }
}
