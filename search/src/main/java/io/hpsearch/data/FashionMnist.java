package io.hpsearch.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST in memory: 60,000 training and 10,000 test images of 28x28 pixels, loaded once per run and
 * shared read-only by all workers. The test set is only touched to evaluate a run's best trial.
 */
public record FashionMnist(Path dir, Examples train, Examples test) {
    /** Images are IMAGE_SIDE x IMAGE_SIDE grey pixels. */
    public static final int IMAGE_SIDE = 28;
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The four standard file names, each with the MD5 of the official archive. */
    public enum DataFile {
        TRAIN_IMAGES("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        TRAIN_LABELS("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        TEST_IMAGES("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        TEST_LABELS("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");

        private final String fileName;
        private final String md5;

        DataFile(String fileName, String md5) {
            this.fileName = fileName;
            this.md5 = md5;
        }

        public String fileName() {
            return fileName;
        }

        public String md5() {
            return md5;
        }
    }

    /** Reads the four files from {@code dir}; a missing, truncated or corrupt file is a {@link DataException}. */
    public static FashionMnist load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": data directory not found. Pass --data with a directory holding the "
                    + "four Fashion-MNIST .gz files.");
        }
        List<String> missing = java.util.Arrays.stream(DataFile.values()).map(DataFile::fileName)
                .filter(name -> !Files.isRegularFile(dir.resolve(name))).toList();
        if (!missing.isEmpty()) {
            throw new DataException(dir + ": missing " + String.join(", ", missing)
                    + ". The directory must hold the four Fashion-MNIST .gz files.");
        }
        Examples train = IdxReader.read(dir.resolve(DataFile.TRAIN_IMAGES.fileName()),
                dir.resolve(DataFile.TRAIN_LABELS.fileName()), CLASS_NAMES.size());
        Examples test = IdxReader.read(dir.resolve(DataFile.TEST_IMAGES.fileName()),
                dir.resolve(DataFile.TEST_LABELS.fileName()), CLASS_NAMES.size(), 1);
        if (train.featureCount() != test.featureCount()) {
            throw new DataException(dir + ": training images have " + train.featureCount()
                    + " pixels but test images " + test.featureCount() + "; the files do not belong together.");
        }
        return new FashionMnist(dir, train, test);
    }

    /** As a run's dataset, with the four files' hashes. */
    public Dataset dataset() {
        List<Dataset.DataFile> files = java.util.Arrays.stream(DataFile.values()).map(f -> new Dataset.DataFile(
                f.name().toLowerCase(java.util.Locale.ROOT), dir.resolve(f.fileName()).toString(),
                Hashes.sha256(dir.resolve(f.fileName())))).toList();
        return new ImageDataset("fashion-mnist", CLASS_NAMES, train, test, files,
                InputShape.image(1, IMAGE_SIDE, IMAGE_SIDE));
    }
}
