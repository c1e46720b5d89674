package io.hpsearch.trial;

import io.hpsearch.space.ModelType;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyperparameters of one trial: one point of a space, as flat, ordered name -> value pairs (input_dropout,
 * hidden_layers, units_1, dropout_1, ..., optimizer, learning_rate), holding only the layers that exist. This is
 * what is stored, shown as columns, and compared to find repeated networks. Dropouts are drop probabilities (the
 * Keras meaning). Serializable because Arbiter's candidates carry their value through Java serialization.
 */
public record TrialParams(ModelType type, Map<String, Object> values) implements Serializable {
    public TrialParams {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Map<String, Object> asMap() {
        return values;
    }

    /** Two trials with equal keys train the same network: the layers that exist and their values, nothing else. */
    public String key() {
        return values.toString();
    }

    /** Read back from the store: a resnet is the space with stages, a cnn the one with convolution blocks. */
    public static TrialParams fromMap(Map<String, ?> map) {
        ModelType type = map.containsKey("stages") ? ModelType.RESNET
                : map.containsKey("conv_blocks") ? ModelType.CNN : ModelType.MLP;
        return new TrialParams(type, new LinkedHashMap<>(map));
    }

    public int integer(String key, int otherwise) {
        Object v = values.get(key);
        return v == null ? otherwise : ((Number) v).intValue();
    }

    public double decimal(String key, double otherwise) {
        Object v = values.get(key);
        return v == null ? otherwise : ((Number) v).doubleValue();
    }

    public String text(String key, String otherwise) {
        Object v = values.get(key);
        return v == null ? otherwise : (String) v;
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }
}
