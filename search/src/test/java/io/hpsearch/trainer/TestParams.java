package io.hpsearch.trainer;

import io.hpsearch.space.ModelType;
import io.hpsearch.trial.TrialParams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trial parameters written out by hand, as a sampler would produce them. */
final class TestParams {
    private TestParams() {
    }

    static TrialParams mlp(double inputDropout, List<Integer> units, List<Double> dropout) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("input_dropout", inputDropout);
        values.put("hidden_layers", units.size());
        for (int i = 0; i < units.size(); i++) {
            values.put("units_" + (i + 1), units.get(i));
            values.put("dropout_" + (i + 1), dropout.get(i));
        }
        values.put("optimizer", "adam");
        values.put("learning_rate", 0.001);
        return new TrialParams(ModelType.MLP, values);
    }
}
