package io.hpsearch.data.images;

import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.InputShape;

import java.nio.file.Path;
import java.util.List;

/** Folders of images, one subfolder per class. (Stub: being written.) */
public final class ImageFolders {
    private ImageFolders() {
    }

    public static Dataset load(DataSpec.Images spec) {
        throw new UnsupportedOperationException("image folders are not written yet");
    }

    public static Encoding.Inputs readForPrediction(Path input, InputShape shape, List<String> classes) {
        throw new UnsupportedOperationException("image prediction is not written yet");
    }
}
