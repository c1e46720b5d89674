package io.hpsearch.space;

import io.hpsearch.store.Objective;

import java.util.LinkedHashMap;
import java.util.Map;

/** A validated search space: what a space YAML file says, after defaults and command-line overrides. */
public record SpaceSpec(String name, String dataset, SearchKind search, int maxTrials, long seed, Objective objective,
                        int gridPoints, TrainingSpec training, MlpSpec model) {

    public SpaceSpec withMaxTrials(int value) {
        return new SpaceSpec(name, dataset, search, value, seed, objective, gridPoints, training, model);
    }

    public SpaceSpec withSeed(long value) {
        return new SpaceSpec(name, dataset, search, maxTrials, value, objective, gridPoints, training, model);
    }

    public SpaceSpec withTraining(TrainingSpec value) {
        return new SpaceSpec(name, dataset, search, maxTrials, seed, objective, gridPoints, value, model);
    }

    /** The space as it was run, every default filled in: stored with the run for provenance. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("dataset", dataset);
        out.put("search", search.key());
        out.put("max_trials", maxTrials);
        out.put("seed", seed);
        out.put("objective", objective.key());
        out.put("grid_points", gridPoints);
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("epochs", training.epochs());
        train.put("batch_size", training.batchSize());
        train.put("validation_split", training.validationSplit());
        train.put("train_limit", training.trainLimit());
        out.put("training", train);
        Map<String, Object> mlp = new LinkedHashMap<>();
        mlp.put("type", "mlp");
        mlp.put("input_dropout", describe(model.inputDropout()));
        mlp.put("hidden_layers", describe(model.hiddenLayers()));
        mlp.put("units", describe(model.units()));
        mlp.put("dropout", describe(model.dropout()));
        mlp.put("optimizer", describe(model.optimizer()));
        mlp.put("learning_rate", describe(model.learningRate()));
        out.put("model", mlp);
        return out;
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
