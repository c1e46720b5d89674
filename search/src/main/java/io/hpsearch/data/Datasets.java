package io.hpsearch.data;

import io.hpsearch.data.csv.CsvDataset;
import io.hpsearch.data.images.ImageFolders;

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
        if (spec instanceof DataSpec.Idx idx) {
            return idx(idx);
        }
        if (spec instanceof DataSpec.Csv csv) {
            return CsvDataset.load(csv);
        }
        if (spec instanceof DataSpec.Images images) {
            return ImageFolders.load(images);
        }
        return fashionMnist.get().dataset();
    }

    private static Dataset idx(DataSpec.Idx spec) {
        IdxReader.Images train = IdxReader.readImages(spec.trainImages(), spec.trainLabels());
        List<String> classes = classNames(spec, train.examples());
        List<Dataset.DataFile> files = new ArrayList<>();
        for (Map.Entry<String, Path> e : spec.paths().entrySet()) {
            files.add(new Dataset.DataFile(e.getKey(), e.getValue().toString(), Hashes.sha256(e.getValue())));
        }
        Examples all = train.examples();
        Examples test;
        if (spec.testImages().isPresent()) {
            IdxReader.Images t = IdxReader.readImages(spec.testImages().get(), spec.testLabels().orElseThrow());
            if (t.height() != train.height() || t.width() != train.width()) {
                throw new DataException(spec.testImages().get() + ": test images are " + t.height() + "x" + t.width()
                        + " but training images " + train.height() + "x" + train.width()
                        + "; the files do not belong together");
            }
            int[] labels = t.examples().labels();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= classes.size()) {
                    throw new DataException(spec.testLabels().get() + ": label " + labels[i] + " at index " + i
                            + " is not a class of the training labels (" + String.join(", ", classes) + ")");
                }
            }
            test = t.examples();
        } else {
            Split held = Holdout.testSplit(all, spec.testSplit(), spec.trainLabels().toString(), classes);
            all = held.train();
            test = held.validation();
        }
        return new ImageDataset("idx", classes, all, test, files, InputShape.image(1, train.height(), train.width()));
    }

    /** The space's names, else the label numbers 0..max; labels must be below the number of names. */
    private static List<String> classNames(DataSpec.Idx spec, Examples train) {
        int max = IntStream.of(train.labels()).max().orElse(-1);
        if (max < 0) {
            throw new DataException(spec.trainLabels() + ": the file holds no labels");
        }
        if (!spec.classNames().isEmpty()) {
            if (max >= spec.classNames().size()) {
                throw new DataException(spec.trainLabels() + ": label " + max + " has no name: dataset.classes names "
                        + spec.classNames().size() + " classes (labels 0-" + (spec.classNames().size() - 1) + ")");
            }
            return spec.classNames();
        }
        if (IntStream.of(train.labels()).distinct().count() < 2) {
            throw new DataException(spec.trainLabels() + ": every label is " + max + "; a classifier needs at least 2 "
                    + "classes");
        }
        return IntStream.rangeClosed(0, max).mapToObj(Integer::toString).toList();
    }
}
