package io.hpsearch.importance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's parameter importances from its completed trials, by {@link Fanova}. As Optuna does, only the parameters
 * that every completed trial has are measured: a per-layer parameter of a layer some networks lack (units_3 when
 * hidden_layers is 1..4) has no value to vary in those trials, so it is left out and named in {@code excluded};
 * the layer count itself is measured. Parameters the space fixes (one value) are not measured either.
 *
 * @param method     how the importances were computed, in words
 * @param trials     completed trials with a finite score that the importances were computed from
 * @param importances largest first, summing to 1; empty when {@code reason} says why
 * @param excluded   parameters some completed trials lack (conditional ones), not measured
 * @param reason     why there are no importances, or null
 */
public record ParamImportances(String method, int trials, List<Fanova.ParamImportance> importances,
                               List<String> excluded, String reason) {
    public static final String METHOD = "fANOVA over a random forest (" + Fanova.TREES + " trees, depth at most "
            + Fanova.MAX_DEPTH + "), as Optuna's default importance evaluator";
    // A per-layer key: its base key and 1-based layer (units_2 -> units, 2).
    private static final Pattern LAYER_KEY = Pattern.compile("(.+)_(\\d+)");

    /** One completed trial: its parameters and objective. */
    public record Observation(Map<String, Object> params, double score) {
    }

    /**
     * @param model     the {@code model} section of the run's resolved space (each key a value, {@code {choice}},
     *                  {@code {min, max, step?, log?}} or {@code {per_layer: [...]}}); parameters it does not
     *                  describe are measured from their values (numbers as a range, others as choices)
     * @param completed the run's completed trials
     * @param seed      the forest's seed: the same trials give the same importances
     */
    public static ParamImportances of(Map<String, Object> model, List<Observation> completed, long seed) {
        List<Observation> usable = completed.stream().filter(o -> Double.isFinite(o.score())).toList();
        if (usable.size() < 2) {
            return empty(usable.size(), List.of(), "importance needs at least 2 completed trials with a score; this "
                    + "run has " + usable.size());
        }
        // Parameters in every completed trial, in the first one's order; the others are conditional.
        List<String> common = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        usable.forEach(o -> o.params().keySet().forEach(k -> seen.putIfAbsent(k, true)));
        for (String name : seen.keySet()) {
            boolean everywhere = usable.stream().allMatch(o -> o.params().get(name) != null);
            (everywhere ? common : excluded).add(name);
        }
        List<String> names = new ArrayList<>();
        List<Domain> domains = new ArrayList<>();
        for (String name : common) {
            List<Object> values = usable.stream().map(o -> o.params().get(name)).toList();
            Domain domain = domain(definition(model, name), values);
            if (!domain.single()) {
                names.add(name);
                domains.add(domain);
            }
        }
        if (names.isEmpty()) {
            return empty(usable.size(), excluded, "no parameter that every completed trial has is searched");
        }
        double[][] x = new double[usable.size()][names.size()];
        double[] y = new double[usable.size()];
        for (int i = 0; i < usable.size(); i++) {
            for (int j = 0; j < names.size(); j++) {
                x[i][j] = domains.get(j).encode(usable.get(i).params().get(names.get(j)));
            }
            y[i] = usable.get(i).score();
        }
        double[] importances = new Fanova(seed).importances(x, y);
        if (java.util.Arrays.stream(importances).sum() <= 0) {
            return empty(usable.size(), excluded, "the completed trials' scores do not vary with their parameters "
                    + "(every trial scored the same, or the forest found nothing to split)");
        }
        return new ParamImportances(METHOD, usable.size(), Fanova.sorted(names, importances), excluded, null);
    }

    private static ParamImportances empty(int trials, List<String> excluded, String reason) {
        return new ParamImportances(METHOD, trials, List.of(), excluded, reason);
    }

    /**
     * The space's definition of a parameter: its own key, or for a per-layer key (units_2) its base key's (units),
     * the layer's entry when the base key lists one per layer. Null when the space does not describe it.
     */
    public static Object definition(Map<String, Object> model, String name) {
        if (model == null) {
            return null;
        }
        if (model.containsKey(name)) {
            return model.get(name);
        }
        Matcher m = LAYER_KEY.matcher(name);
        if (m.matches() && model.containsKey(m.group(1))) {
            Object base = model.get(m.group(1));
            if (base instanceof Map<?, ?> map && map.get("per_layer") instanceof List<?> layers) {
                int layer = Integer.parseInt(m.group(2));
                return layer >= 1 && layer <= layers.size() ? layers.get(layer - 1) : null;
            }
            return base;
        }
        return null;
    }

    /** The domain a definition gives, widened to the values the trials have; from the values alone without one. */
    static Domain domain(Object definition, List<Object> values) {
        if (definition instanceof Map<?, ?> map) {
            if (map.get("choice") instanceof List<?> choices) {
                return new Domain.Categorical(new ArrayList<>(choices)).including(values);
            }
            if (map.get("min") instanceof Number min && map.get("max") instanceof Number max
                    && values.stream().allMatch(v -> v instanceof Number)) {
                boolean log = Boolean.TRUE.equals(map.get("log"));
                boolean whole = min instanceof Integer && max instanceof Integer;
                Double step = map.get("step") instanceof Number s ? s.doubleValue() : whole ? 1.0 : null;
                double lo = Math.min(min.doubleValue(), values.stream().mapToDouble(v -> ((Number) v).doubleValue())
                        .min().orElse(min.doubleValue()));
                double hi = Math.max(max.doubleValue(), values.stream().mapToDouble(v -> ((Number) v).doubleValue())
                        .max().orElse(max.doubleValue()));
                return new Domain.Numeric(lo, hi, step, log && lo > 0);
            }
        }
        if (definition != null && !(definition instanceof Map<?, ?>)) {
            // A fixed value; a trial with another (a space edited between runs) makes it a choice.
            return new Domain.Categorical(List.of(definition)).including(values);
        }
        if (!values.isEmpty() && values.stream().allMatch(v -> v instanceof Number)) {
            double lo = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).min().orElseThrow();
            double hi = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).max().orElseThrow();
            return new Domain.Numeric(lo, hi, null, false);
        }
        return new Domain.Categorical(List.of()).including(values);
    }
}
