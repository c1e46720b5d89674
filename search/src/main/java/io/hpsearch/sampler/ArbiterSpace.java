package io.hpsearch.sampler;

import io.hpsearch.space.ModelSpec;
import io.hpsearch.space.Param;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.ToDoubleFunction;

/**
 * The one place where a {@link ModelSpec} becomes Arbiter parameter spaces, so Arbiter types stay out of the specs.
 *
 * <p>Arbiter's {@code MultiLayerSpace.addLayer(space, count)} repeats one sampled layer; a space whose layers each
 * draw their own values needs a leaf per layer instead, which {@link ModelParameterSpace} holds.
 *
 * <p>It also goes the other way ({@link ModelParameterSpace#genes}): a trial's parameters back to the gene vector
 * Arbiter would map to them, which is how a genetic search learns from trials it did not draw itself (a resumed
 * run's history).
 */
final class ArbiterSpace {
    private ArbiterSpace() {
    }

    /**
     * Gene of a leaf the trial has no value for (a layer beyond its layer count): the middle of [0, 1], a fixed
     * choice so that the same parameters always give the same genes.
     */
    static final double NEUTRAL_GENE = 0.5;

    /** The whole space: each group's layer count is a leaf, and every possible layer has its own leaves. */
    static ModelParameterSpace of(ModelSpec spec) {
        return new ModelParameterSpace(spec, null);
    }

    /**
     * The space with each group's layer count fixed ({@code counts}, in group order): what grid search enumerates,
     * so layers that do not exist never multiply the grid.
     */
    static ParameterSpace<TrialParams> atCounts(ModelSpec spec, List<Integer> counts) {
        return new ModelParameterSpace(spec, counts);
    }

    /**
     * An Arbiter leaf and its inverse: where in [0, 1] its gene must be for the leaf to give a value ({@code null}
     * for a fixed value, which has no gene).
     */
    private record Leaf(ParameterSpace<?> space, ToDoubleFunction<Object> position) {
    }

    /** A fresh leaf each call: Arbiter tells leaves apart by identity, so layers must not share one. */
    private static Leaf leaf(Param param) {
        if (param instanceof Param.Fixed fixed) {
            return new Leaf(new FixedValue<>(fixed.value()), null);
        }
        if (param instanceof Param.Choice choice) {
            return discrete(choice.values());
        }
        Param.Range range = (Param.Range) param;
        if (range.discreteValues().isPresent()) {
            return discrete(range.discreteValues().get());
        }
        // The distribution is kept so that the inverse is Arbiter's own mapping run backwards: its leaf gives
        // inverseCumulativeProbability(gene), so the gene of a value is cumulativeProbability(value).
        RealDistribution distribution = range.log() ? new LogUniformDistribution(range.min(), range.max())
                : new UniformRealDistribution(range.min(), range.max());
        return new Leaf(new ContinuousParameterSpace(distribution),
                v -> Math.min(1, Math.max(0, distribution.cumulativeProbability(((Number) v).doubleValue()))));
    }

    /**
     * DiscreteParameterSpace gives value {@code (int) (gene * n)} (the last for gene 1), so value {@code i} owns
     * [i/n, (i+1)/n); its gene is that bin's centre, safely inside it whatever the rounding.
     */
    private static Leaf discrete(List<Object> values) {
        List<Object> copy = List.copyOf(values);
        return new Leaf(new DiscreteParameterSpace<>(copy), v -> {
            int i = indexOf(copy, v);
            return i < 0 ? NEUTRAL_GENE : (i + 0.5) / copy.size();
        });
    }

    /**
     * Position of a value among a leaf's values. Numbers match by value, not by boxed type, because parameters
     * read back from the store may come as Long or Double where the space holds Integer.
     */
    private static int indexOf(List<Object> values, Object v) {
        int i = values.indexOf(v);
        if (i >= 0 || !(v instanceof Number n)) {
            return i;
        }
        for (int j = 0; j < values.size(); j++) {
            if (values.get(j) instanceof Number m && Double.compare(m.doubleValue(), n.doubleValue()) == 0) {
                return j;
            }
        }
        return -1;
    }

    /** Arbiter's view of a model space; its value is the trial's parameters, for only the layers that exist. */
    static final class ModelParameterSpace implements ParameterSpace<TrialParams> {
        private final ModelSpec spec;
        /** Leaves by parameter name, per-layer ones suffixed with the layer number (units_1, units_2, ...). */
        private final Map<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();
        /** Inverses of the leaves that have a gene, by the same names, with the gene each reads. */
        private final Map<String, ToDoubleFunction<Object>> positions = new LinkedHashMap<>();
        private final Map<String, Integer> geneIndex = new LinkedHashMap<>();

        ModelParameterSpace(ModelSpec spec, List<Integer> counts) {
            this.spec = spec;
            int group = 0;
            for (ModelSpec.Entry entry : spec.entries()) {
                if (entry instanceof ModelSpec.Shared shared) {
                    put(shared.key(), leaf(shared.param()));
                    continue;
                }
                ModelSpec.Group g = (ModelSpec.Group) entry;
                int max = counts == null ? g.maxCount() : counts.get(group);
                put(g.key(), counts == null ? leaf(g.count()) : new Leaf(new FixedValue<>(max), null));
                group++;
                for (int i = 0; i < max; i++) {
                    for (ModelSpec.LayerParam p : g.perLayer()) {
                        put(p.key() + "_" + (i + 1), leaf(p.byLayer().get(i)));
                    }
                }
            }
        }

        /**
         * Numbers the genes here, in leaf order, exactly as Arbiter's BaseCandidateGenerator.initialize() numbers
         * them (unique leaves in collectLeaves() order, one gene each, none for a fixed value), so that
         * {@link #genes} agrees with {@link #getValue} before and after a generator has been built on this space.
         */
        private void put(String key, Leaf leaf) {
            leaves.put(key, leaf.space());
            if (leaf.space().numParameters() > 0) {
                int index = geneIndex.size();
                leaf.space().setIndices(index);
                geneIndex.put(key, index);
                positions.put(key, leaf.position());
            }
        }

        /** Which gene the leaf of parameter {@code key} (units_2, learning_rate, ...) reads; none for a fixed one. */
        OptionalInt gene(String key) {
            Integer index = geneIndex.get(key);
            return index == null ? OptionalInt.empty() : OptionalInt.of(index);
        }

        /**
         * The genes that give {@code params}: the inverse of {@link #getValue}. Discrete values sit at the centre
         * of their bin; leaves the parameters have no value for (layers that do not exist) get
         * {@link ArbiterSpace#NEUTRAL_GENE}, as does a value the space does not hold.
         */
        double[] genes(TrialParams params) {
            double[] genes = new double[geneIndex.size()];
            Arrays.fill(genes, NEUTRAL_GENE);
            Map<String, Object> values = params.asMap();
            geneIndex.forEach((key, index) -> {
                Object value = values.get(key);
                if (value != null) {
                    genes[index] = positions.get(key).applyAsDouble(value);
                }
            });
            return genes;
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
