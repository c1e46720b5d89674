package io.hpsearch.space;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Counts the distinct networks of a space. Depth-conditional: the values of a layer that does not exist do not
 * multiply the count, so a group of depths 1..4 holds the sum over d of the product of its first d layers' sizes.
 */
public final class SpaceSize {
    private SpaceSize() {
    }

    /** The size of the grid search over the space: each continuous range contributes {@code grid_points} values. */
    public static BigInteger distinctNetworks(SpaceSpec spec) {
        return count(spec.model(), spec.gridPoints());
    }

    /** The number of distinct networks random search can draw, or empty when a continuous range makes it unbounded. */
    public static Optional<BigInteger> finiteNetworks(SpaceSpec spec) {
        if (spec.model().allParams().stream().anyMatch(p -> p.discreteValues().isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(count(spec.model(), 0));
    }

    private static BigInteger count(ModelSpec model, int continuousPoints) {
        BigInteger total = BigInteger.ONE;
        for (ModelSpec.Entry entry : model.entries()) {
            if (entry instanceof ModelSpec.Shared shared) {
                total = total.multiply(size(shared.param(), continuousPoints));
            } else {
                total = total.multiply(groupSize((ModelSpec.Group) entry, continuousPoints));
            }
        }
        return total;
    }

    private static BigInteger groupSize(ModelSpec.Group group, int continuousPoints) {
        BigInteger total = BigInteger.ZERO;
        for (Object depth : group.count().discreteValues().orElseThrow()) {
            BigInteger layers = BigInteger.ONE;
            for (int i = 0; i < (Integer) depth; i++) {
                for (ModelSpec.LayerParam p : group.perLayer()) {
                    layers = layers.multiply(size(p.byLayer().get(i), continuousPoints));
                }
            }
            total = total.add(layers);
        }
        return total;
    }

    private static BigInteger size(Param p, int continuousPoints) {
        return BigInteger.valueOf(p.discreteValues().map(List::size).orElse(continuousPoints));
    }
}
