package io.hpsearch.space;

import java.util.List;
import java.util.Optional;

/**
 * The model part of a space, in the order its parameters are shown: values shared by the whole network, and
 * groups of layers whose count is itself a parameter and whose layers each draw their own values.
 */
public record ModelSpec(ModelType type, List<Entry> entries) {
    public ModelSpec {
        entries = List.copyOf(entries);
    }

    /** One key of the model section. */
    public sealed interface Entry {
        String key();
    }

    /** A value for the whole network, such as the learning rate. */
    public record Shared(String key, Param param) implements Entry {
    }

    /**
     * Layers repeated {@code count} times (key {@code countKey}, e.g. hidden_layers). Each layer {@code i} draws
     * its own value of every per-layer parameter, named {@code key_i} (units_1, units_2, ...).
     */
    public record Group(String key, Param count, List<LayerParam> perLayer) implements Entry {
        public Group {
            perLayer = List.copyOf(perLayer);
        }

        /** The largest number of layers the group can have. */
        public int maxCount() {
            return count.discreteValues().orElseThrow().stream().mapToInt(v -> (Integer) v).max().orElseThrow();
        }
    }

    /**
     * A per-layer parameter: {@code byLayer.get(i)} is what layer {@code i + 1} draws from, one entry per possible
     * layer (the same parameter repeated, or one per layer where the space fixes each layer).
     */
    public record LayerParam(String key, List<Param> byLayer) {
        public LayerParam {
            byLayer = List.copyOf(byLayer);
        }
    }

    /**
     * Why images whose shorter side is {@code side} pixels are too small for this model's pooling (each convolution
     * block halves them), or empty when they are large enough. Asked by the parser where the space says the image
     * size, and by the runner once an IDX file has told it.
     */
    public Optional<String> tooSmallFor(int side) {
        int blocks = groups().stream().filter(g -> g.key().equals("conv_blocks")).mapToInt(Group::maxCount)
                .findFirst().orElse(0);
        if ((side >> blocks) >= 1) {
            return Optional.empty();
        }
        return Optional.of("up to " + blocks + " blocks halve the " + side + "-pixel side of the images " + blocks
                + " times, leaving nothing; use at most " + (31 - Integer.numberOfLeadingZeros(side))
                + " or larger images");
    }

    public List<Group> groups() {
        return entries.stream().filter(Group.class::isInstance).map(Group.class::cast).toList();
    }

    public List<Param> allParams() {
        return entries.stream().flatMap(e -> e instanceof Shared s ? java.util.stream.Stream.of(s.param())
                : ((Group) e).perLayer().stream().flatMap(p -> p.byLayer().stream())).toList();
    }

    public Optional<Param> shared(String key) {
        return entries.stream().filter(e -> e instanceof Shared s && s.key().equals(key))
                .map(e -> ((Shared) e).param()).findFirst();
    }
}
