package io.hpsearch.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a space's {@code dataset:} names, validated and with paths resolved against the space file's folder. One
 * record per {@code type}; {@link Datasets#load} reads it.
 */
public sealed interface DataSpec {
    /** Default held-out fraction when a source has no test part of its own. */
    double DEFAULT_TEST_SPLIT = 0.2;

    /** The {@code type:} key. */
    String type();

    /** The files and folders it reads, by role, for the security check of a server's data root. */
    Map<String, Path> paths();

    /** As stored in the run's resolved space. */
    Map<String, Object> describe();

    /** A file or folder of training examples and, optionally, one of test examples. */
    private static Map<String, Path> trainAndTest(Path train, Optional<Path> test) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("train", train);
        test.ifPresent(p -> m.put("test", p));
        return m;
    }

    /** {@code dataset: fashion-mnist}: the four files from {@code --data}, HPSEARCH_DATA or the download cache. */
    record FashionMnist() implements DataSpec {
        @Override
        public String type() {
            return "fashion-mnist";
        }

        @Override
        public Map<String, Path> paths() {
            return Map.of();
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("type", type());
        }
    }

    /**
     * MNIST-format IDX files (gzip-compressed or not).
     *
     * @param classNames names for labels 0..n-1; empty: the labels' numbers, sorted
     */
    record Idx(Path trainImages, Path trainLabels, Optional<Path> testImages, Optional<Path> testLabels,
               double testSplit, List<String> classNames) implements DataSpec {
        @Override
        public String type() {
            return "idx";
        }

        @Override
        public Map<String, Path> paths() {
            Map<String, Path> m = new LinkedHashMap<>();
            m.put("train_images", trainImages);
            m.put("train_labels", trainLabels);
            testImages.ifPresent(p -> m.put("test_images", p));
            testLabels.ifPresent(p -> m.put("test_labels", p));
            return m;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type());
            paths().forEach((k, v) -> m.put(k, v.toString()));
            if (testImages.isEmpty()) {
                m.put("test_split", testSplit);
            }
            if (!classNames.isEmpty()) {
                m.put("classes", classNames);
            }
            return m;
        }
    }

    /**
     * A CSV table, one example per row.
     *
     * @param label         the label column's name (with a header) or its 0-based index as text (without)
     * @param features      columns to use (names, or 0-based indices as text without a header); empty: all but
     *                      the label
     * @param imputeMissing {@code missing: impute}: a missing numeric cell takes the training mean, a missing text
     *                      cell its own category; otherwise a missing cell is an error
     */
    record Csv(Path train, Optional<Path> test, String label, boolean header, char delimiter, List<String> features,
               double testSplit, boolean imputeMissing) implements DataSpec {
        @Override
        public String type() {
            return "csv";
        }

        @Override
        public Map<String, Path> paths() {
            return trainAndTest(train, test);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type());
            paths().forEach((k, v) -> m.put(k, v.toString()));
            m.put("label", label);
            m.put("header", header);
            m.put("delimiter", String.valueOf(delimiter));
            if (!features.isEmpty()) {
                m.put("features", features);
            }
            if (test.isEmpty()) {
                m.put("test_split", testSplit);
            }
            m.put("missing", imputeMissing ? "impute" : "error");
            return m;
        }
    }

    /**
     * Folders of images, one subfolder per class (its name is the class name).
     *
     * @param channels 1 (grey) or 3 (RGB); every image is converted to it and resized to height x width
     */
    record Images(Path train, Optional<Path> test, int height, int width, int channels, double testSplit)
            implements DataSpec {
        @Override
        public String type() {
            return "images";
        }

        @Override
        public Map<String, Path> paths() {
            return trainAndTest(train, test);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type());
            paths().forEach((k, v) -> m.put(k, v.toString()));
            m.put("height", height);
            m.put("width", width);
            m.put("channels", channels);
            if (test.isEmpty()) {
                m.put("test_split", testSplit);
            }
            return m;
        }

        public InputShape shape() {
            return InputShape.image(channels, height, width);
        }
    }
}
