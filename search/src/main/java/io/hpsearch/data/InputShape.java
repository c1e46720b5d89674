package io.hpsearch.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one example looks like to a network: an image of {@code channels x height x width} values, stored flat in
 * channel-major order (DL4J's NCHW, what {@code InputType.convolutionalFlat} expects), or a row of
 * {@code features} numbers from a table.
 *
 * @param channels 1 (grey) or 3 (RGB) for an image, 0 for a table
 * @param height   image rows, 0 for a table
 * @param width    image columns, 0 for a table
 * @param features values per example: channels x height x width for an image
 */
public record InputShape(int channels, int height, int width, int features) {
    public InputShape {
        if (features <= 0 || (channels > 0 && features != channels * height * width)) {
            throw new IllegalArgumentException("not a shape: " + channels + "x" + height + "x" + width + ", "
                    + features + " features");
        }
    }

    public static InputShape image(int channels, int height, int width) {
        return new InputShape(channels, height, width, channels * height * width);
    }

    public static InputShape table(int features) {
        return new InputShape(0, 0, 0, features);
    }

    /** Images can feed a convolutional network; rows of a table only a dense one. */
    public boolean isImage() {
        return channels > 0;
    }

    /** For people: "28x28 grey", "32x32 RGB", "54 features". */
    public String describe() {
        if (!isImage()) {
            return features + " features";
        }
        return height + "x" + width + " " + (channels == 1 ? "grey" : channels == 3 ? "RGB" : channels + " channels");
    }

    /** As stored with a run and in a model file. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (isImage()) {
            m.put("channels", channels);
            m.put("height", height);
            m.put("width", width);
        }
        m.put("features", features);
        return m;
    }

    public static InputShape fromMap(Map<?, ?> m) {
        int features = ((Number) m.get("features")).intValue();
        return m.containsKey("channels") ? image(((Number) m.get("channels")).intValue(),
                ((Number) m.get("height")).intValue(), ((Number) m.get("width")).intValue())
                : table(features);
    }
}
