package io.hpsearch.trainer;

import io.hpsearch.data.InputShape;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.ModelType;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.trial.TrialParams;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Trial parameters written out by hand, as a sampler would produce them, and the reference CNN's. */
public final class TestParams {
    /** Fashion-MNIST's images: 28x28 grey. */
    public static final InputShape FASHION = InputShape.image(1, 28, 28);

    private TestParams() {
    }

    public static TrialParams mlp(double inputDropout, List<Integer> units, List<Double> dropout) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("input_dropout", inputDropout);
        values.put("hidden_layers", units.size());
        for (int i = 0; i < units.size(); i++) {
            values.put("units_" + (i + 1), units.get(i));
            values.put("dropout_" + (i + 1), dropout.get(i));
        }
        values.put("optimizer", "adam");
        values.put("learning_rate", 0.001);
        return new TrialParams(ModelType.MLP, values);
    }

    /** A two-stage residual network with a dense head, small enough to train in a test. */
    public static TrialParams smallResnet(boolean bottleneck) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("stages", 2);
        v.put("filters_1", 8);
        v.put("filters_2", 16);
        v.put("blocks_per_stage", 1);
        v.put("bottleneck", bottleneck);
        v.put("dense_layers", 1);
        v.put("units_1", 16);
        v.put("dropout_1", 0.0);
        v.put("optimizer", "adam");
        v.put("learning_rate", 0.001);
        return new TrialParams(ModelType.RESNET, v);
    }

    /** The one network of spaces/fashion-cnn-reference.yaml. */
    static TrialParams referenceCnn() {
        return Samplers.forSpace(SpaceParser.parse(Path.of("../spaces/fashion-cnn-reference.yaml")))
                .next(List.of()).orElseThrow();
    }
}
