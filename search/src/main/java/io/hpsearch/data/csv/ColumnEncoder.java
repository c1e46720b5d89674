package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One feature column's share of a {@link TableEncoding}: a numeric column becomes one standardised value, a
 * categorical one a one-hot group with a slot per category of the training part (plus one for missing cells,
 * when they were imputed there); a category the training part never had is all zeros.
 */
final class ColumnEncoder {
    private final String name;
    private final boolean numeric;
    private final double mean;
    private final double std;
    private final List<String> categories;
    private final boolean missingCategory;
    private final List<String> rawValues;
    // Derived, so that encoding a million rows does no more than a subtraction and a multiplication per cell.
    private final float floatMean;
    private final float inverseStd;
    private final Map<String, Integer> slots = new HashMap<>();
    private final int[] rawToSlot;

    private ColumnEncoder(String name, boolean numeric, double mean, double std, List<String> categories,
                          boolean missingCategory, List<String> rawValues) {
        this.name = name;
        this.numeric = numeric;
        this.mean = mean;
        this.std = std;
        this.categories = List.copyOf(categories);
        this.missingCategory = missingCategory;
        this.rawValues = List.copyOf(rawValues);
        floatMean = (float) mean;
        inverseStd = (float) (1.0 / std);
        for (int i = 0; i < categories.size(); i++) {
            slots.put(categories.get(i), i);
        }
        rawToSlot = new int[rawValues.size()];
        for (int i = 0; i < rawToSlot.length; i++) {
            rawToSlot[i] = slots.getOrDefault(rawValues.get(i), -1);
        }
    }

    /** A numeric column with its training part's mean and population standard deviation (1 where it is 0). */
    static ColumnEncoder numeric(String name, double mean, double std) {
        // A constant column carries no information; dividing by 1 keeps it at 0 instead of NaN.
        return new ColumnEncoder(name, true, mean, std > 0 ? std : 1, List.of(), false, List.of());
    }

    /** The categories present at {@code column}, sorted, and a missing slot when a cell there is missing. */
    static ColumnEncoder fitCategorical(String name, List<String> values, float[] x, int width, int column) {
        boolean[] seen = new boolean[values.size()];
        boolean missing = false;
        for (int i = column; i < x.length; i += width) {
            int id = (int) x[i];
            if (id < 0) {
                missing = true;
            } else {
                seen[id] = true;
            }
        }
        List<String> categories = new ArrayList<>();
        for (int id = 0; id < seen.length; id++) {
            if (seen[id]) {
                categories.add(values.get(id));
            }
        }
        categories.sort(null);
        return new ColumnEncoder(name, false, 0, 1, categories, missing, values);
    }

    String name() {
        return name;
    }

    boolean numeric() {
        return numeric;
    }

    /** Values this column gives the network. */
    int size() {
        return numeric ? 1 : categories.size() + (missingCategory ? 1 : 0);
    }

    /** Writes the column's value(s) for a raw value at {@code out[at..]}, which must be zeros. */
    void encodeRaw(float raw, float[] out, int at) {
        if (numeric) {
            out[at] = encodeNumber(raw);
            return;
        }
        int id = (int) raw;
        int slot = id < 0 ? missingSlot() : id < rawToSlot.length ? rawToSlot[id] : -1;
        if (slot >= 0) {
            out[at + slot] = 1;
        }
    }

    /** A number standardised; NaN (an imputed missing cell) becomes the mean, 0. */
    float encodeNumber(float value) {
        return Float.isNaN(value) ? 0 : (value - floatMean) * inverseStd;
    }

    /** Writes a category's one-hot group; {@code text} null for a missing cell. */
    void encodeCategory(String text, float[] out, int at) {
        int slot = text == null ? missingSlot() : slots.getOrDefault(text, -1);
        if (slot >= 0) {
            out[at + slot] = 1;
        }
    }

    private int missingSlot() {
        return missingCategory ? categories.size() : -1;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (numeric) {
            m.put("type", "numeric");
            m.put("mean", mean);
            m.put("std", std);
        } else {
            m.put("type", "categorical");
            m.put("categories", categories);
            m.put("missing_category", missingCategory);
            // Not the dataset's raw category list: it holds values of validation and test rows, which a model
            // file handed to others must not carry. A restored encoding reads text cells (read()), never raw rows.
        }
        return m;
    }

    static ColumnEncoder restore(Map<?, ?> m) {
        String name = String.valueOf(m.get("name"));
        Object type = m.get("type");
        if ("numeric".equals(type)) {
            return new ColumnEncoder(name, true, number(m, "mean"), number(m, "std"), List.of(), false,
                    List.of());
        }
        if ("categorical".equals(type)) {
            return new ColumnEncoder(name, false, 0, 1, strings(m.get("categories")),
                    Boolean.TRUE.equals(m.get("missing_category")), List.of());
        }
        throw new DataException("the model file's table column '" + name + "' has type '" + type + "', which "
                + "this version of hpsearch cannot read");
    }

    private static double number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            throw new DataException("the model file's table column '" + m.get("name") + "' has no number '" + key
                    + "'");
        }
        return ((Number) v).doubleValue();
    }

    private static List<String> strings(Object list) {
        if (list == null) {
            return List.of();
        }
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    @Override
    public String toString() {
        return name + (numeric ? " (numeric)" : " (categorical: " + categories + ")");
    }
}
