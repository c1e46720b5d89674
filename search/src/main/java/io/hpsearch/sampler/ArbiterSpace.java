package io.hpsearch.sampler;

import io.hpsearch.space.ModelSpec;
import io.hpsearch.space.Param;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where a {@link ModelSpec} becomes Arbiter parameter spaces, so Arbiter types stay out of the specs.
 *
 * <p>Arbiter's {@code MultiLayerSpace.addLayer(space, count)} repeats one sampled layer; a space whose layers each
 * draw their own values needs a leaf per layer instead, which {@link ModelParameterSpace} holds.
 */
final class ArbiterSpace {
    private ArbiterSpace() {
    }

    /** The whole space: each group's layer count is a leaf, and every possible layer has its own leaves. */
    static ParameterSpace<TrialParams> of(ModelSpec spec) {
        return new ModelParameterSpace(spec, null);
    }

    /**
     * The space with each group's layer count fixed ({@code counts}, in group order): what grid search enumerates,
     * so layers that do not exist never multiply the grid.
     */
    static ParameterSpace<TrialParams> atCounts(ModelSpec spec, List<Integer> counts) {
        return new ModelParameterSpace(spec, counts);
    }

    /** A fresh leaf each call: Arbiter tells leaves apart by identity, so layers must not share one. */
    @SuppressWarnings("unchecked")
    private static <T> ParameterSpace<T> leaf(Param param) {
        if (param instanceof Param.Fixed fixed) {
            return new FixedValue<>((T) fixed.value());
        }
        if (param instanceof Param.Choice choice) {
            return new DiscreteParameterSpace<>((List<T>) choice.values());
        }
        Param.Range range = (Param.Range) param;
        return range.discreteValues()
                .<ParameterSpace<T>>map(values -> new DiscreteParameterSpace<>((List<T>) values))
                .orElseGet(() -> (ParameterSpace<T>) (range.log()
                        ? new ContinuousParameterSpace(new LogUniformDistribution(range.min(), range.max()))
                        : new ContinuousParameterSpace(range.min(), range.max())));
    }

    /** Arbiter's view of a model space; its value is the trial's parameters, for only the layers that exist. */
    private static final class ModelParameterSpace implements ParameterSpace<TrialParams> {
        private final ModelSpec spec;
        /** Leaves by parameter name, per-layer ones suffixed with the layer number (units_1, units_2, ...). */
        private final Map<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();

        ModelParameterSpace(ModelSpec spec, List<Integer> counts) {
            this.spec = spec;
            int group = 0;
            for (ModelSpec.Entry entry : spec.entries()) {
                if (entry instanceof ModelSpec.Shared shared) {
                    leaves.put(shared.key(), leaf(shared.param()));
                    continue;
                }
                ModelSpec.Group g = (ModelSpec.Group) entry;
                int max = counts == null ? g.maxCount() : counts.get(group);
                leaves.put(g.key(), counts == null ? leaf(g.count()) : new FixedValue<>(max));
                group++;
                for (int i = 0; i < max; i++) {
                    for (ModelSpec.LayerParam p : g.perLayer()) {
                        leaves.put(p.key() + "_" + (i + 1), leaf(p.byLayer().get(i)));
                    }
                }
            }
        }

        @Override
        public TrialParams getValue(double[] values) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (ModelSpec.Entry entry : spec.entries()) {
                Object value = leaves.get(entry.key()).getValue(values);
                out.put(entry.key(), value);
                if (entry instanceof ModelSpec.Group g) {
                    for (int i = 1; i <= (Integer) value; i++) {
                        for (ModelSpec.LayerParam p : g.perLayer()) {
                            out.put(p.key() + "_" + i, leaves.get(p.key() + "_" + i).getValue(values));
                        }
                    }
                }
            }
            return new TrialParams(spec.type(), out);
        }

        @Override
        public Map<String, ParameterSpace> getNestedSpaces() {
            return new LinkedHashMap<>(leaves);
        }

        @Override
        public List<ParameterSpace> collectLeaves() {
            List<ParameterSpace> all = new ArrayList<>();
            for (ParameterSpace<?> space : leaves.values()) {
                all.addAll(space.collectLeaves());
            }
            return all;
        }

        @Override
        public int numParameters() {
            return collectLeaves().stream().mapToInt(ParameterSpace::numParameters).sum();
        }

        @Override
        public boolean isLeaf() {
            return false;
        }

        @Override
        public void setIndices(int... indices) {
            throw new UnsupportedOperationException("ModelParameterSpace is not a leaf: its leaves get the indices");
        }
    }
}
