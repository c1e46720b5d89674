package io.hpsearch.space;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One searchable value of a space, as written in YAML: a plain value, a {@code choice} or a {@code min/max} range.
 * Values are Integer, Double or String, matching the key's {@link ParamType}.
 */
public sealed interface Param {

    /** The values this parameter can take, or empty for a continuous range. */
    Optional<List<Object>> discreteValues();

    /** A plain value in YAML: never searched. */
    record Fixed(Object value) implements Param {
        @Override
        public Optional<List<Object>> discreteValues() {
            return Optional.of(List.of(value));
        }
    }

    /** {@code {choice: [...]}}: categorical, non-empty, no duplicates. */
    record Choice(List<Object> values) implements Param {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public Optional<List<Object>> discreteValues() {
            return Optional.of(values);
        }
    }

    /**
     * {@code {min, max}} with an optional {@code step}: with a step (or for integers) the range is discrete,
     * without one it is continuous, uniform or log-uniform.
     */
    record Range(ParamType type, double min, double max, Double step, boolean log) implements Param {
        @Override
        public Optional<List<Object>> discreteValues() {
            if (type == ParamType.INTEGER) {
                int stride = step == null ? 1 : step.intValue();
                List<Object> values = new ArrayList<>();
                for (long v = (long) min; v <= (long) max; v += stride) {
                    values.add((int) v);
                }
                return Optional.of(values);
            }
            if (step == null) {
                return Optional.empty();
            }
            // Decimal arithmetic so that 0.0..0.3 step 0.1 gives 0.3, not 0.30000000000000004.
            BigDecimal first = BigDecimal.valueOf(min);
            BigDecimal last = BigDecimal.valueOf(max);
            BigDecimal stride = BigDecimal.valueOf(step);
            List<Object> values = new ArrayList<>();
            for (BigDecimal v = first; v.compareTo(last) <= 0; v = v.add(stride)) {
                values.add(v.doubleValue());
            }
            return Optional.of(values);
        }
    }
}
