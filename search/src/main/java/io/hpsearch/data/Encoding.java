package io.hpsearch.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How raw examples become a network's input, fitted on a run's training part: identity for images (pixels are
 * already in [0, 1]); for a table, standardised numeric columns and one-hot categories. Saved in the model file
 * ({@link #describe()}, restored by {@link Encodings#restore}) so that predicting needs nothing but that file.
 */
public interface Encoding {
    /** What the network sees. */
    InputShape shape();

    /** Raw examples (a {@link Dataset}'s rows) as network input; labels unchanged. */
    Examples encode(Examples raw);

    /** Everything needed to rebuild this encoding, as JSON-ready maps and lists, with a {@code "kind"} entry. */
    Map<String, Object> describe();

    /**
     * New, user-supplied examples read the way the training data was: a CSV with the training columns (the label
     * column optional) for a table, an image file or a folder of images for images.
     *
     * @param classes the run's class names, to read labels when the input has them
     * @throws DataException naming the file, line and column, or the image, that cannot be read
     */
    Inputs read(Path input, List<String> classes);

    /**
     * Examples to predict, encoded.
     *
     * @param ids      per example: its row number (tables) or file path (images)
     * @param examples encoded features; labels are class indices, or -1 where the input has none
     * @param labelled whether the input gave a label for every example
     * @param skipped  entries of an input folder that were not read (not images of a known kind, folders nested in
     *                 a class folder), as paths under it: a user expects every file to get a prediction
     */
    record Inputs(List<String> ids, Examples examples, boolean labelled, List<String> skipped) {
        public Inputs(List<String> ids, Examples examples, boolean labelled) {
            this(ids, examples, labelled, List.of());
        }
    }
}
