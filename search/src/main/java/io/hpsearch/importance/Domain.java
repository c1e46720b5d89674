package io.hpsearch.importance;

import java.util.ArrayList;
import java.util.List;

/**
 * What values one parameter can take, as importance measures it. Every domain maps a value onto [0, 1] so that
 * equal lengths are equal shares of the space the search samples from: fANOVA weighs each region of a parameter by
 * its length, and a log-uniform parameter is sampled evenly in log space, so it is measured in log space too.
 */
public sealed interface Domain {

    /** The value's position in [0, 1]. */
    double encode(Object value);

    /** Whether the space gives this parameter one value only (nothing to measure). */
    boolean single();

    /**
     * A {@code {min, max}} range. A discrete range (integers, or a {@code step}) is widened by half a step at each
     * end, so that every one of its values owns the same length (its first and last values are not halved).
     */
    record Numeric(double min, double max, Double step, boolean log) implements Domain {
        public Numeric {
            if (!(max >= min) || log && min <= 0) {
                throw new IllegalArgumentException("bad range [" + min + ", " + max + "]" + (log ? " (log)" : ""));
            }
        }

        private double low() {
            return log ? Math.log(min) : step != null ? min - step / 2 : min;
        }

        private double high() {
            return log ? Math.log(max) : step != null ? max + step / 2 : max;
        }

        @Override
        public double encode(Object value) {
            double v = ((Number) value).doubleValue();
            double x = log ? Math.log(v) : v;
            double width = high() - low();
            // A value outside the range (a space edited between runs) is clamped rather than refused.
            return width == 0 ? 0.5 : Math.min(1, Math.max(0, (x - low()) / width));
        }

        @Override
        public boolean single() {
            return min == max;
        }
    }

    /**
     * A {@code {choice: [...]}}: categorical. Encoded as the choice's position, each choice owning an equal slice of
     * [0, 1] in the written order. A regression tree then needs up to k - 1 splits to isolate any one choice (one-hot
     * columns would need one), but fANOVA marginalises a choice exactly uniformly over its k values, where Optuna's
     * one-hot columns are marginalised over the 2^k corners of a hypercube, all but k of them impossible.
     */
    record Categorical(List<Object> choices) implements Domain {
        public Categorical {
            choices = List.copyOf(choices);
        }

        /** Index of the value among the choices; numbers compare by value (512 equals 512.0), text as text. */
        public int indexOf(Object value) {
            for (int i = 0; i < choices.size(); i++) {
                if (same(choices.get(i), value)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public double encode(Object value) {
            int i = indexOf(value);
            if (i < 0) {
                throw new IllegalArgumentException("value " + value + " is not one of " + choices);
            }
            return (i + 0.5) / choices.size();
        }

        @Override
        public boolean single() {
            return choices.size() <= 1;
        }

        /** This domain with any of {@code values} it lacks appended (trials of a space that changed). */
        public Categorical including(List<Object> values) {
            List<Object> all = new ArrayList<>(choices);
            for (Object v : values) {
                if (v != null && all.stream().noneMatch(c -> same(c, v))) {
                    all.add(v);
                }
            }
            return new Categorical(all);
        }

        private static boolean same(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
            }
            return String.valueOf(a).equals(String.valueOf(b));
        }
    }
}
