package io.hpsearch.data;

import java.util.List;

/**
 * A run's data, read once and shared read-only by the run's workers: labelled training and test examples, the
 * class names, and where they came from. Fashion-MNIST, IDX files, CSV tables and image folders are datasets;
 * nothing outside this package knows which one a run has.
 *
 * <p>The examples are "raw": in whatever numeric form the source keeps them. What the network sees is made by an
 * {@link Encoding} fitted on the training part only (a table's standardisation and categories), never on the
 * validation or test examples.
 */
public interface Dataset {
    /** The {@code dataset: type} it came from: fashion-mnist, idx, csv or images. */
    String type();

    /** Class names; a label {@code i} means {@code classes().get(i)}. Sorted, as the source defines them. */
    List<String> classes();

    /** Every example the search may train and validate on. */
    Examples train();

    /** Examples only the run's best network ever sees, once. */
    Examples test();

    /** The files behind it, with their hashes, so a run can be traced to its data and a resume can check it. */
    List<DataFile> files();

    /** Column names for a table (after the label is taken out), empty for images. */
    List<String> features();

    /**
     * Fits the transformation to network input on {@code trainingPart} (rows of {@link #train()} the search
     * trains on, validation rows excluded).
     */
    Encoding fit(Examples trainingPart);

    /**
     * A file or folder the data was read from.
     *
     * @param role   what it holds: train, test, train_images, train_labels, ...
     * @param path   as the space resolved it
     * @param sha256  of the file's bytes; of a folder, of its files' relative paths and contents, in sorted order
     * @param skipped a folder's entries that were not read (files of kinds it does not read, folders nested in a
     *                class folder), {@code /}-separated relative to it, a folder with a trailing slash; empty for
     *                a file. Said when the data is read and kept in the run's record, so that a photo left out
     *                (a {@code .webp}) is not left out in silence
     */
    record DataFile(String role, String path, String sha256, List<String> skipped) {
        public DataFile {
            skipped = List.copyOf(skipped);
        }

        public DataFile(String role, String path, String sha256) {
            this(role, path, sha256, List.of());
        }
    }
}
