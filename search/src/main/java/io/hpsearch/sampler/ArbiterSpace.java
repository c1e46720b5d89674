package io.hpsearch.sampler;

import io.hpsearch.space.MlpSpec;
import io.hpsearch.space.Param;
import io.hpsearch.space.SpaceSpec;
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
 * The one place where a {@link SpaceSpec} becomes Arbiter parameter spaces, so Arbiter types stay out of the specs.
 *
 * <p>Arbiter's {@code MultiLayerSpace.addLayer(space, count)} repeats one sampled layer; a space whose units and
 * dropout are drawn per layer needs a leaf per layer instead, which {@link MlpParameterSpace} holds.
 */
final class ArbiterSpace {
    private ArbiterSpace() {
    }

    /** The whole space: depth is a leaf, and every possible layer has its own units and dropout leaves. */
    static ParameterSpace<TrialParams> of(MlpSpec spec) {
        List<Object> depths = spec.hiddenLayers().discreteValues().orElseThrow();
        int maxDepth = depths.stream().mapToInt(d -> (Integer) d).max().orElseThrow();
        return new MlpParameterSpace(leaf(spec.inputDropout()), leaf(spec.hiddenLayers()), maxDepth, spec);
    }

    /** The space at one fixed depth: what grid search enumerates, so absent layers never multiply the grid. */
    static ParameterSpace<TrialParams> atDepth(MlpSpec spec, int depth) {
        return new MlpParameterSpace(leaf(spec.inputDropout()), new FixedValue<>(depth), depth, spec);
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

    /** Arbiter's view of an MLP space; its value is the trial's parameters, for only the layers that exist. */
    private static final class MlpParameterSpace implements ParameterSpace<TrialParams> {
        private final ParameterSpace<Double> inputDropout;
        private final ParameterSpace<Integer> hiddenLayers;
        private final List<ParameterSpace<Integer>> units = new ArrayList<>();
        private final List<ParameterSpace<Double>> dropout = new ArrayList<>();
        private final ParameterSpace<String> optimizer;
        private final ParameterSpace<Double> learningRate;

        MlpParameterSpace(ParameterSpace<Double> inputDropout, ParameterSpace<Integer> hiddenLayers, int maxDepth,
                          MlpSpec spec) {
            this.inputDropout = inputDropout;
            this.hiddenLayers = hiddenLayers;
            for (int i = 0; i < maxDepth; i++) {
                units.add(leaf(spec.units()));
                dropout.add(leaf(spec.dropout()));
            }
            this.optimizer = leaf(spec.optimizer());
            this.learningRate = leaf(spec.learningRate());
        }

        @Override
        public TrialParams getValue(double[] values) {
            int depth = hiddenLayers.getValue(values);
            List<TrialParams.Layer> layers = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                layers.add(new TrialParams.Layer(units.get(i).getValue(values), dropout.get(i).getValue(values)));
            }
            return new TrialParams(inputDropout.getValue(values), layers, optimizer.getValue(values),
                    learningRate.getValue(values));
        }

        @Override
        public Map<String, ParameterSpace> getNestedSpaces() {
            Map<String, ParameterSpace> nested = new LinkedHashMap<>();
            nested.put("input_dropout", inputDropout);
            nested.put("hidden_layers", hiddenLayers);
            for (int i = 0; i < units.size(); i++) {
                nested.put("units_" + (i + 1), units.get(i));
                nested.put("dropout_" + (i + 1), dropout.get(i));
            }
            nested.put("optimizer", optimizer);
            nested.put("learning_rate", learningRate);
            return nested;
        }

        @Override
        public List<ParameterSpace> collectLeaves() {
            List<ParameterSpace> leaves = new ArrayList<>();
            for (ParameterSpace<?> space : getNestedSpaces().values()) {
                leaves.addAll(space.collectLeaves());
            }
            return leaves;
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
            throw new UnsupportedOperationException("MlpParameterSpace is not a leaf: its leaves get the indices");
        }
    }

}
