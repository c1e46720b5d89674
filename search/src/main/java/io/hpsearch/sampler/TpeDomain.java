package io.hpsearch.sampler;

import io.hpsearch.space.Param;
import io.hpsearch.space.ParamType;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * The values one searched parameter can take, as TPE models them: Optuna's CategoricalDistribution, or its
 * Float/IntDistribution (continuous, log, or on a step grid). Values inside the model ("internal") are doubles: a
 * choice's index, or the number itself.
 */
sealed interface TpeDomain {

    /** The domain of a searched parameter; null for a {@link Param.Fixed}, which is copied, never modelled. */
    static TpeDomain of(Param param) {
        if (param instanceof Param.Fixed) {
            return null;
        }
        if (param instanceof Param.Choice choice) {
            return new Categorical(choice.values());
        }
        Param.Range range = (Param.Range) param;
        List<Object> grid = range.discreteValues().orElse(null);
        if (grid == null) {
            return new Numeric(range.min(), range.max(), 0, range.log(), null);
        }
        double step = range.type() == ParamType.INTEGER && range.step() == null ? 1 : range.step();
        // Optuna's high is the last point of the grid (FloatDistribution adjusts it so), not max.
        return new Numeric(range.min(), ((Number) grid.get(grid.size() - 1)).doubleValue(), step, false, grid);
    }

    /** The internal value of a trial's value, or empty where the value does not fit (the space changed). */
    OptionalDouble internal(Object value);

    /** The parameter's value for an internal one; the exact objects of the space, so keys compare equal. */
    Object external(double internal);

    /** A draw from the prior: uniform, log-uniform on a log range, uniform over a grid or the choices. */
    double samplePrior(Random rng);

    /** {@code {choice: [...]}}: unordered, even when the choices are numbers (Optuna's CategoricalDistribution). */
    record Categorical(List<Object> choices) implements TpeDomain {
        @Override
        public OptionalDouble internal(Object value) {
            for (int i = 0; value != null && i < choices.size(); i++) {
                if (same(choices.get(i), value)) {
                    return OptionalDouble.of(i);
                }
            }
            return OptionalDouble.empty();
        }

        /** Numbers read back from the store may come as another Number type: compare them by value. */
        private static boolean same(Object choice, Object value) {
            if (choice instanceof Number a && value instanceof Number b) {
                return a.doubleValue() == b.doubleValue();
            }
            return choice.equals(value);
        }

        @Override
        public Object external(double internal) {
            return choices.get((int) internal);
        }

        @Override
        public double samplePrior(Random rng) {
            return rng.nextInt(choices.size());
        }
    }

    /**
     * A range: {@code step} 0 for a continuous one, else the grid's stride ({@code grid} its exact values, from
     * {@link Param.Range#discreteValues()}); {@code log} ranges are modelled in log space.
     */
    record Numeric(double low, double high, double step, boolean log, List<Object> grid) implements TpeDomain {
        boolean discrete() {
            return step > 0;
        }

        @Override
        public OptionalDouble internal(Object value) {
            if (!(value instanceof Number n)) {
                return OptionalDouble.empty();
            }
            double v = n.doubleValue();
            // A small tolerance: stored decimals may have been rounded when written.
            double slack = discrete() ? step / 2 : 1e-9 * Math.max(1, Math.abs(high - low));
            if (!(v >= low - slack && v <= high + slack)) {
                return OptionalDouble.empty();
            }
            if (discrete()) {
                return OptionalDouble.of(low + index(v) * step);
            }
            return OptionalDouble.of(Math.min(high, Math.max(low, v)));
        }

        /** The grid point nearest v, as Optuna rounds a step parameter's draw: clip(round((v - low) / step)). */
        int index(double v) {
            long i = Math.round((v - low) / step);
            return (int) Math.max(0, Math.min(grid.size() - 1, i));
        }

        @Override
        public Object external(double internal) {
            return discrete() ? grid.get(index(internal)) : (Object) Math.min(high, Math.max(low, internal));
        }

        @Override
        public double samplePrior(Random rng) {
            if (discrete()) {
                return low + rng.nextInt(grid.size()) * step;
            }
            if (log) {
                double x = Math.exp(Math.log(low) + rng.nextDouble() * (Math.log(high) - Math.log(low)));
                return Math.min(high, Math.max(low, x));
            }
            return low + rng.nextDouble() * (high - low);
        }
    }
}
