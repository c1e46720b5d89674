package io.hpsearch.space;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Counts the distinct networks of a space. Depth-conditional: the units and dropout of a layer that does not exist
 * do not multiply the count, so a space of depths 1..4 holds sum over d of (shared) x (units x dropout)^d networks.
 */
public final class SpaceSize {
    private SpaceSize() {
    }

    /** The size of the grid search over the space: each continuous range contributes {@code grid_points} values. */
    public static BigInteger distinctNetworks(SpaceSpec spec) {
        return count(spec, spec.gridPoints());
    }

    /** The number of distinct networks random search can draw, or empty when a continuous range makes it unbounded. */
    public static Optional<BigInteger> finiteNetworks(SpaceSpec spec) {
        MlpSpec m = spec.model();
        for (Param p : List.of(m.inputDropout(), m.units(), m.dropout(), m.optimizer(), m.learningRate())) {
            if (p.discreteValues().isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(count(spec, 0));
    }

    private static BigInteger count(SpaceSpec spec, int continuousPoints) {
        MlpSpec m = spec.model();
        BigInteger shared = size(m.inputDropout(), continuousPoints)
                .multiply(size(m.optimizer(), continuousPoints))
                .multiply(size(m.learningRate(), continuousPoints));
        BigInteger perLayer = size(m.units(), continuousPoints).multiply(size(m.dropout(), continuousPoints));
        BigInteger total = BigInteger.ZERO;
        for (Object depth : m.hiddenLayers().discreteValues().orElseThrow()) {
            total = total.add(perLayer.pow((Integer) depth));
        }
        return total.multiply(shared);
    }

    private static BigInteger size(Param p, int continuousPoints) {
        return BigInteger.valueOf(p.discreteValues().map(List::size).orElse(continuousPoints));
    }
}
