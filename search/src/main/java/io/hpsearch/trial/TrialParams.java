package io.hpsearch.trial;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hyperparameters of one trial: one point of a space. Dropouts are drop probabilities (the Keras meaning).
 * Serializable because Arbiter's candidates carry their value through Java serialization.
 */
public record TrialParams(double inputDropout, List<Layer> layers, String optimizer, double learningRate)
        implements Serializable {

    /** One hidden dense layer and the dropout applied to its output. */
    public record Layer(int units, double dropout) implements Serializable {
    }

    public TrialParams {
        layers = List.copyOf(layers);
    }

    /**
     * Flat, ordered name -> value view: input_dropout, hidden_layers, units_1, dropout_1, ..., optimizer,
     * learning_rate. This is what is stored, shown as columns, and compared to find repeated networks.
     */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input_dropout", inputDropout);
        out.put("hidden_layers", layers.size());
        for (int i = 0; i < layers.size(); i++) {
            out.put("units_" + (i + 1), layers.get(i).units());
            out.put("dropout_" + (i + 1), layers.get(i).dropout());
        }
        out.put("optimizer", optimizer);
        out.put("learning_rate", learningRate);
        return out;
    }

    /** The inverse of {@link #asMap()}, for parameters read back from the store. */
    public static TrialParams fromMap(Map<String, ?> map) {
        int depth = ((Number) map.get("hidden_layers")).intValue();
        List<Layer> layers = new ArrayList<>();
        for (int i = 1; i <= depth; i++) {
            layers.add(new Layer(((Number) map.get("units_" + i)).intValue(),
                    ((Number) map.get("dropout_" + i)).doubleValue()));
        }
        return new TrialParams(((Number) map.get("input_dropout")).doubleValue(), layers,
                (String) map.get("optimizer"), ((Number) map.get("learning_rate")).doubleValue());
    }

    /** Two trials with equal keys train the same network: the layers that exist and their values, nothing else. */
    public String key() {
        return asMap().toString();
    }
}
