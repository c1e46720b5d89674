package io.hpsearch.data;

import io.hpsearch.data.csv.CsvDataset;
import io.hpsearch.data.images.ImageFolders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/** Reads what a space's {@code dataset:} names: the one place that knows every kind of source. */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Reads every file of the dataset once.
     *
     * @param fashionMnist the Fashion-MNIST directory's data, read (or downloaded) on first use
     * @throws DataException naming the file (and line, column or image) that cannot be used
     */
    public static Dataset load(DataSpec spec, Supplier<FashionMnist> fashionMnist) {
        return load(spec, fashionMnist, DataPaths.ANY);
    }

    /**
     * Reads every file of the dataset once, and none that {@code paths} refuses: the space's own paths were
     * checked when it was parsed; an image folder's class folders and images are checked here, one by one.
     */
    public static Dataset load(DataSpec spec, Supplier<FashionMnist> fashionMnist, DataPaths paths) {
        refuseOutside(spec, paths);
        refuseCopiedTestFile(spec);
        Dataset dataset;
        if (spec instanceof DataSpec.Idx idx) {
            dataset = idx(idx);
        } else if (spec instanceof DataSpec.Csv csv) {
            dataset = CsvDataset.load(csv);
        } else if (spec instanceof DataSpec.Images images) {
            dataset = ImageFolders.load(images, paths);
        } else {
            return fashionMnist.get().dataset();
        }
        refuseTrainingAsTest(dataset.files());
        return dataset;
    }

    /**
     * A test file or folder with the training data's contents (the same path, or a copy) would report the accuracy
     * of networks on examples they trained on. Checked on what was read: image folders (as fingerprints of the
     * images read); files were checked before being read, {@link #refuseCopiedTestFile}.
     */
    private static void refuseTrainingAsTest(List<Dataset.DataFile> files) {
        for (Dataset.DataFile test : files) {
            if (!test.role().startsWith("test") || test.role().endsWith("_labels")) {
                continue;
            }
            String trainRole = trainRole(test.role());
            for (Dataset.DataFile train : files) {
                if (train.role().equals(trainRole) && train.sha256().equals(test.sha256())) {
                    throw sameData(test.role(), test.path(), train.path());
                }
            }
        }
    }

    /**
     * {@link #refuseTrainingAsTest} for a test file (a table, IDX images) that is the training file or a copy of it,
     * before anything is parsed or decoded: a copied test set of a large table is refused in the time it takes to
     * hash it, not after it has been read. Files of different sizes are not hashed. Image folders are checked once
     * read, against the fingerprints of the images that were allowed to be read.
     */
    private static void refuseCopiedTestFile(DataSpec spec) {
        if (spec instanceof DataSpec.Images) {
            return;
        }
        Map<String, Path> paths = spec.paths();
        for (Map.Entry<String, Path> e : paths.entrySet()) {
            String role = e.getKey();
            if (!role.startsWith("test") || role.endsWith("_labels") || !paths.containsKey(trainRole(role))) {
                continue;
            }
            Path train = paths.get(trainRole(role));
            if (sameBytes(train, e.getValue())) {
                throw sameData(role, e.getValue().toString(), train.toString());
            }
        }
    }

    /**
     * Whether two files hold the same bytes; false when either is missing, empty or cannot be read: the loader then
     * says which, as it would for one of them alone.
     */
    private static boolean sameBytes(Path a, Path b) {
        try {
            if (!Files.isRegularFile(a) || !Files.isRegularFile(b) || Files.size(a) == 0) {
                return false;
            }
            return Files.isSameFile(a, b)
                    || Files.size(a) == Files.size(b) && Hashes.sha256(a).equals(Hashes.sha256(b));
        } catch (IOException | DataException unreadable) {
            return false;
        }
    }

    private static String trainRole(String testRole) {
        return "train" + testRole.substring("test".length());
    }

    private static DataException sameData(String testRole, String testPath, String trainPath) {
        return new DataException("dataset." + testRole + ": " + testPath + " holds the same data as dataset."
                + trainRole(testRole) + " (" + trainPath + "); the test set must be examples the search never "
                + "trains on: give other examples, or leave " + testRole + " out to hold out test_split of the "
                + "training data");
    }

    /** The space's own paths against {@code paths}: a refused one is an error on its key, before anything is read. */
    private static void refuseOutside(DataSpec spec, DataPaths paths) {
        for (Map.Entry<String, Path> e : spec.paths().entrySet()) {
            paths.refuse(e.getValue()).ifPresent(problem -> {
                throw new DataException("dataset." + e.getKey() + ": " + problem);
            });
        }
    }

    /**
     * The SHA-256 of each file or folder the dataset would read, by role, computed without parsing or decoding
     * anything (Fashion-MNIST, whose files come from --data, is read for its hashes): what a resume compares with
     * what the run recorded. Paths {@code paths} refuses are an error, as for {@link #load}.
     */
    public static List<Dataset.DataFile> fingerprint(DataSpec spec, Supplier<FashionMnist> fashionMnist,
                                                     DataPaths paths) {
        refuseOutside(spec, paths);
        if (spec instanceof DataSpec.FashionMnist) {
            return fashionMnist.get().dataset().files();
        }
        List<Dataset.DataFile> files = new ArrayList<>();
        for (Map.Entry<String, Path> e : spec.paths().entrySet()) {
            Path path = e.getValue();
            if (spec instanceof DataSpec.Images && !Files.exists(path)) {
                throw new DataException(path + ": folder not found");
            }
            String sha = spec instanceof DataSpec.Images ? ImageFolders.fingerprint(path) : Hashes.sha256(path);
            files.add(new Dataset.DataFile(e.getKey(), path.toString(), sha));
        }
        return files;
    }

    private static Dataset idx(DataSpec.Idx spec) {
        IdxReader.Images train = IdxReader.readImages(spec.trainImages(), spec.trainLabels(), 2);
        // Classes are the labels that occur (EMNIST letters, for one, are labelled 1-26), sorted; a label is
        // renumbered to its class's index.
        int[] present = IntStream.of(train.examples().labels()).distinct().sorted().toArray();
        List<String> classes = classNames(spec, present);
        List<Dataset.DataFile> files = new ArrayList<>();
        for (Map.Entry<String, Path> e : spec.paths().entrySet()) {
            files.add(new Dataset.DataFile(e.getKey(), e.getValue().toString(), Hashes.sha256(e.getValue())));
        }
        Examples all = relabel(train.examples(), present, spec.trainLabels(), classes);
        Examples test;
        if (spec.testImages().isPresent()) {
            IdxReader.Images t = IdxReader.readImages(spec.testImages().get(), spec.testLabels().orElseThrow(), 1);
            if (t.height() != train.height() || t.width() != train.width()) {
                throw new DataException(spec.testImages().get() + ": test images are " + t.height() + "x" + t.width()
                        + " but training images " + train.height() + "x" + train.width()
                        + "; the files do not belong together");
            }
            test = relabel(t.examples(), present, spec.testLabels().get(), classes);
        } else {
            Split held = Holdout.testSplit(all, spec.testSplit(), spec.trainLabels().toString(), classes);
            all = held.train();
            test = held.validation();
        }
        return new ImageDataset("idx", classes, all, test, files, InputShape.image(1, train.height(), train.width()));
    }

    /**
     * A name per label that occurs: the space's names (dataset.classes names labels 0, 1, 2, ...), else the label
     * numbers.
     */
    private static List<String> classNames(DataSpec.Idx spec, int[] present) {
        if (present.length == 0) {
            throw new DataException(spec.trainLabels() + ": the file holds no labels");
        }
        if (present.length < 2) {
            throw new DataException(spec.trainLabels() + ": every label is " + present[0] + "; a classifier needs at "
                    + "least 2 classes");
        }
        int max = present[present.length - 1];
        if (!spec.classNames().isEmpty() && max >= spec.classNames().size()) {
            throw new DataException(spec.trainLabels() + ": label " + max + " has no name: dataset.classes names "
                    + spec.classNames().size() + " classes (labels 0-" + (spec.classNames().size() - 1) + ")");
        }
        return IntStream.of(present).mapToObj(label -> spec.classNames().isEmpty() ? Integer.toString(label)
                : spec.classNames().get(label)).toList();
    }

    /** The examples with each label replaced by its class's index; a label of no class is an error. */
    private static Examples relabel(Examples examples, int[] present, Path labels, List<String> classes) {
        int[] index = new int[256];
        java.util.Arrays.fill(index, -1);
        for (int c = 0; c < present.length; c++) {
            index[present[c]] = c;
        }
        int[] y = new int[examples.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = index[examples.labels()[i]];
            if (y[i] < 0) {
                throw new DataException(labels + ": label " + examples.labels()[i] + " at index " + i
                        + " is not a class of the training labels (" + String.join(", ", classes) + ")");
            }
        }
        return new Examples(examples.features(), y, examples.featureCount());
    }
}
