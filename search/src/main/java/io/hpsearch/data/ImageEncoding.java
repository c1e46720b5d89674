package io.hpsearch.data;

import io.hpsearch.data.images.ImageFolders;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Images go to the network as they are decoded: pixels in [0, 1], resized and converted to the run's shape. */
public record ImageEncoding(InputShape shape) implements Encoding {
    static final String KIND = "image";

    @Override
    public Examples encode(Examples raw) {
        return raw;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", KIND);
        m.putAll(shape.toMap());
        return m;
    }

    @Override
    public Inputs read(Path input, List<String> classes) {
        return ImageFolders.readForPrediction(input, shape, classes);
    }

    static ImageEncoding restore(Map<?, ?> description) {
        return new ImageEncoding(InputShape.fromMap(description));
    }
}
