package io.hpsearch.data;

import java.util.List;

/**
 * Images already decoded to pixels in [0, 1], channel-major: Fashion-MNIST, IDX files and image folders. The
 * network sees them as they are, so the encoding fitted on any training part is the same.
 */
public record ImageDataset(String type, List<String> classes, Examples train, Examples test, List<DataFile> files,
                           InputShape shape) implements Dataset {
    public ImageDataset {
        classes = List.copyOf(classes);
        files = List.copyOf(files);
        if (train.featureCount() != shape.features() || test.featureCount() != shape.features()) {
            throw new IllegalArgumentException("images of " + shape.describe() + " hold " + shape.features()
                    + " values, not " + train.featureCount() + " / " + test.featureCount());
        }
    }

    @Override
    public List<String> features() {
        return List.of();
    }

    @Override
    public Encoding fit(Examples trainingPart) {
        return new ImageEncoding(shape);
    }
}
