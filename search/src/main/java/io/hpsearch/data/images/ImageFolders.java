package io.hpsearch.data.images;

import io.hpsearch.data.DataException;
import io.hpsearch.data.DataPaths;
import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.Examples;
import io.hpsearch.data.Hashes;
import io.hpsearch.data.Holdout;
import io.hpsearch.data.ImageDataset;
import io.hpsearch.data.InputShape;
import io.hpsearch.data.Memory;
import io.hpsearch.data.Split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Folders of images, one subfolder per class: {@code train/cat/001.png, train/dog/001.jpg, ...}. The class names are
 * the subfolder names, sorted.
 *
 * <p>Image files are recognised by their extension, in any case: {@code .png .jpg .jpeg .bmp .gif .tif .tiff}. Other
 * files ({@code .DS_Store}, a README, {@code Thumbs.db}) are ignored, and so is every file or folder whose name
 * starts with a dot. Images may have any size and colour mode: each is resized to the space's height x width and
 * converted to its channels (grey or RGB), pixels in [0, 1], channel-major, colour channels in RGB order
 * ({@link ImageDecoder}).
 *
 * <p>Images are decoded in parallel on the machine's cores; the examples are always in the same order (classes
 * sorted, files sorted by name within each class), so the same folder always gives the same dataset.
 */
public final class ImageFolders {
    /** Extensions of the files read as images, lower case. */
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");
    /** The extensions read, as messages list them. */
    public static final String EXTENSION_LIST = ".png, .jpg, .jpeg, .bmp, .gif, .tif, .tiff";

    private ImageFolders() {
    }

    /**
     * Reads the training folder and the test folder, or holds out {@code spec.testSplit()} of the training images
     * (per class, {@link Holdout}) when there is none.
     *
     * @throws DataException naming the folder or image that cannot be used, and what to do about it
     */
    public static Dataset load(DataSpec.Images spec) {
        return load(spec, DataPaths.ANY);
    }

    /**
     * As {@link #load(DataSpec.Images)}, reading only class folders and images that {@code paths} allows: a
     * symbolic link inside a dashboard's data root may lead anywhere.
     */
    public static Dataset load(DataSpec.Images spec, DataPaths paths) {
        Path trainFolder = spec.train();
        List<ClassFolder> trainClasses = allowed(classFolders(trainFolder, "train"), paths);
        if (trainClasses.size() == 1) {
            throw new DataException(trainFolder + ": has only one class subfolder ('" + trainClasses.get(0).name()
                    + "'); a classifier needs at least 2 classes, one subfolder of images each");
        }
        List<String> classes = trainClasses.stream().map(ClassFolder::name).toList();
        ImageDecoding decoding = new ImageDecoding(spec.height(), spec.width(), spec.channels());
        // Held out or not, the training images are copied once more when they are split into parts.
        Examples all = decoding.examples(trainFolder, trainClasses, classes, 2);
        List<Dataset.DataFile> files = new ArrayList<>();
        files.add(new Dataset.DataFile("train", trainFolder.toString(), fingerprint(trainFolder, trainClasses),
                skipped(trainFolder, trainClasses)));
        Examples train;
        Examples test;
        if (spec.test().isPresent()) {
            Path testFolder = spec.test().get();
            List<ClassFolder> testClasses = allowed(classFolders(testFolder, "test"), paths);
            for (ClassFolder c : testClasses) {
                if (!classes.contains(c.name())) {
                    throw new DataException(c.folder() + ": class '" + c.name() + "' is not a training class ("
                            + String.join(", ", classes) + "); name each test subfolder after a training class");
                }
            }
            train = all;
            test = decoding.examples(testFolder, testClasses, classes, 1);
            files.add(new Dataset.DataFile("test", testFolder.toString(), fingerprint(testFolder, testClasses),
                    skipped(testFolder, testClasses)));
        } else {
            Split held = Holdout.testSplit(all, spec.testSplit(), trainFolder.toString(), classes);
            train = held.train();
            test = held.validation();
        }
        return new ImageDataset(spec.type(), classes, train, test, files, spec.shape());
    }

    /**
     * Reads images to predict, the way {@link #load} read the training images. {@code input} is an image file, a
     * folder of images, or a folder with class subfolders (named among {@code classes}) whose names are the images'
     * labels.
     *
     * @param shape   the network's input: height, width and channels the images are made to
     * @param classes the model's class names, to label images in class subfolders
     * @return ids: each image's path relative to {@code input} ({@code /}-separated), or its file name when
     * {@code input} is a file; labels: class indices for class subfolders (then {@code labelled}), else -1
     * @throws DataException naming the file or folder that cannot be read
     */
    public static Encoding.Inputs readForPrediction(Path input, InputShape shape, List<String> classes) {
        if (!shape.isImage()) {
            throw new IllegalArgumentException("not an image shape: " + shape.describe());
        }
        ImageDecoding decoding = new ImageDecoding(shape.height(), shape.width(), shape.channels());
        if (!Files.exists(input)) {
            throw new DataException(input + ": not found; give an image file (" + EXTENSION_LIST
                    + ") or a folder of images");
        }
        if (!Files.isDirectory(input)) {
            if (!isImageName(input)) {
                throw new DataException(input + ": not an image file (" + EXTENSION_LIST
                        + "); give an image file or a folder of images");
            }
            Examples examples = decoding.examples(input, List.of(input), new int[]{-1}, 1);
            return new Encoding.Inputs(List.of(input.getFileName().toString()), examples, false);
        }
        List<Path> entries = entries(input);
        List<Path> subfolders = entries.stream().filter(Files::isDirectory).toList();
        List<Path> images = entries.stream().filter(p -> !Files.isDirectory(p) && isImageName(p)).toList();
        if (subfolders.isEmpty()) {
            if (images.isEmpty()) {
                throw new DataException(input + ": holds no images (" + EXTENSION_LIST + "); give a folder of images"
                        + " or a folder with one subfolder of images per class");
            }
            Examples examples = decoding.examples(input, images, new int[images.size()], 1);
            Arrays.fill(examples.labels(), -1);
            // Not subfolders (there are none here) and not images: what the user may have expected read too.
            List<Path> skipped = entries.stream().filter(p -> !isImageName(p)).toList();
            return new Encoding.Inputs(ids(input, images), examples, false, skippedIds(input, skipped));
        }
        if (!images.isEmpty()) {
            throw new DataException(input + ": holds both images (" + images.get(0).getFileName()
                    + ") and subfolders (" + subfolders.get(0).getFileName() + "); give either a folder of images"
                    + " or a folder with one subfolder per class, not both");
        }
        List<ClassFolder> classFolders = classFolders(input, "prediction input");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (ClassFolder c : classFolders) {
            int label = classes.indexOf(c.name());
            if (label < 0) {
                throw new DataException(c.folder() + ": class '" + c.name() + "' is not a class of the model ("
                        + String.join(", ", classes) + "); name each subfolder after one of its classes");
            }
            for (Path image : c.images()) {
                files.add(image);
                labels.add(label);
            }
        }
        Examples examples = decoding.examples(input, files, labels.stream().mapToInt(Integer::intValue).toArray(), 1);
        return new Encoding.Inputs(ids(input, files), examples, true, skipped(input, classFolders));
    }

    /**
     * What a line of output says about entries that were not read: how many, of which folder, the first five.
     *
     * @param skipped as {@link Encoding.Inputs#skipped()} or {@link Dataset.DataFile#skipped()} list them
     */
    public static String skippedNote(String folder, List<String> skipped) {
        return String.format(Locale.ROOT, "Skipped %,d entr%s of %s that %s hpsearch reads (%s): %s%s",
                skipped.size(), skipped.size() == 1 ? "y" : "ies", folder,
                skipped.size() == 1 ? "is not an image" : "are not images",
                EXTENSION_LIST, String.join(", ", skipped.subList(0, Math.min(5, skipped.size()))),
                skipped.size() > 5 ? ", ..." : "");
    }

    /** {@link #skippedNote} for each of the dataset's folders that has entries it did not read. */
    public static List<String> skippedNotes(Dataset dataset) {
        return dataset.files().stream().filter(f -> !f.skipped().isEmpty())
                .map(f -> skippedNote(f.path(), f.skipped())).toList();
    }

    /** The entries of the class folders that are not read, as ids under {@code folder}. */
    private static List<String> skipped(Path folder, List<ClassFolder> classes) {
        List<Path> skipped = new ArrayList<>();
        classes.forEach(c -> skipped.addAll(c.skipped()));
        return skippedIds(folder, skipped);
    }

    /** The folders and images, each checked against {@code paths} before anything is read from it. */
    private static List<ClassFolder> allowed(List<ClassFolder> folders, DataPaths paths) {
        for (ClassFolder c : folders) {
            refuseOutside(c.folder(), paths);
            for (Path image : c.images()) {
                refuseOutside(image, paths);
            }
        }
        return folders;
    }

    private static void refuseOutside(Path path, DataPaths paths) {
        paths.refuse(path).ifPresent(problem -> {
            throw new DataException(path + ": " + problem);
        });
    }

    /**
     * SHA-256 of exactly the images a folder gives (each one's path under the folder, length and bytes, in reading
     * order): a README or {@code .DS_Store} that changes does not change the data.
     */
    static String fingerprint(Path folder, List<ClassFolder> classes) {
        List<Path> files = new ArrayList<>();
        classes.forEach(c -> files.addAll(c.images()));
        return Hashes.sha256(folder, files);
    }

    /** The fingerprint {@link #load} records for a folder, without decoding anything: what a resume compares. */
    public static String fingerprint(Path folder) {
        return fingerprint(folder, classFolders(folder, "train"));
    }

    /**
     * A class subfolder and its images, sorted by file name; {@code skipped}: its other entries (files of other
     * kinds, nested folders), which are not read.
     */
    record ClassFolder(String name, Path folder, List<Path> images, List<Path> skipped) {
    }

    /**
     * The class subfolders of {@code folder}, sorted by name, each with at least one image.
     *
     * @param role the space's key naming the folder, for messages
     */
    static List<ClassFolder> classFolders(Path folder, String role) {
        if (!Files.exists(folder)) {
            throw new DataException(folder + ": folder not found; dataset." + role + " must name a folder with one"
                    + " subfolder of images per class");
        }
        if (!Files.isDirectory(folder)) {
            throw new DataException(folder + ": is a file, not a folder; dataset." + role + " must name a folder"
                    + " with one subfolder of images per class");
        }
        List<Path> entries = entries(folder);
        List<Path> subfolders = entries.stream().filter(Files::isDirectory).toList();
        if (subfolders.isEmpty()) {
            long images = entries.stream().filter(ImageFolders::isImageName).count();
            throw new DataException(folder + ": has no class subfolders" + (images > 0 ? " (" + images + " image"
                    + (images == 1 ? "" : "s") + " lie directly in it)" : "") + "; put each class's images in a"
                    + " subfolder named after the class, e.g. " + folder.resolve("cat").resolve("001.png"));
        }
        List<ClassFolder> classes = new ArrayList<>();
        for (Path sub : subfolders) {
            Map<Boolean, List<Path>> read = entries(sub).stream()
                    .collect(Collectors.partitioningBy(p -> !Files.isDirectory(p) && isImageName(p)));
            classes.add(new ClassFolder(sub.getFileName().toString(), sub, read.get(true), read.get(false)));
        }
        if (classes.stream().allMatch(c -> c.images().isEmpty())) {
            throw new DataException(folder + ": its class subfolders hold no images (" + EXTENSION_LIST
                    + "); put the images of each class in its subfolder");
        }
        for (ClassFolder c : classes) {
            if (c.images().isEmpty()) {
                throw new DataException(c.folder() + ": class '" + c.name() + "' has no images (" + EXTENSION_LIST
                        + "); add its images or remove the folder");
            }
        }
        return classes;
    }

    /** The folder's entries, hidden ones (name starting with a dot) left out, sorted by name. */
    private static List<Path> entries(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new DataException(folder + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
    }

    static boolean isImageName(Path file) {
        return EXTENSIONS.contains(ImageDecoder.extension(file));
    }

    private static List<String> ids(Path folder, List<Path> files) {
        return files.stream().map(f -> folder.relativize(f).toString().replace('\\', '/')).toList();
    }

    /** As {@link #ids}, a folder shown with a trailing slash. */
    private static List<String> skippedIds(Path folder, List<Path> entries) {
        List<String> ids = ids(folder, entries);
        return java.util.stream.IntStream.range(0, ids.size())
                .mapToObj(i -> Files.isDirectory(entries.get(i)) ? ids.get(i) + "/" : ids.get(i)).toList();
    }

    /** Decodes lists of files into examples, in parallel, in the order given. */
    private record ImageDecoding(int height, int width, int channels) {
        Examples examples(Path where, List<ClassFolder> folders, List<String> classes, int copies) {
            List<Path> files = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (ClassFolder c : folders) {
                int label = classes.indexOf(c.name());
                for (Path image : c.images()) {
                    files.add(image);
                    labels.add(label);
                }
            }
            return examples(where, files, labels.stream().mapToInt(Integer::intValue).toArray(), copies);
        }

        /**
         * @param where  the folder or file the images come from, for messages
         * @param copies how many copies of the decoded images the caller holds at once: refused before decoding
         *               anything when they would not fit in the heap
         */
        Examples examples(Path where, List<Path> files, int[] labels, int copies) {
            int features = channels * height * width;
            long values = (long) files.size() * features;
            String images = files.size() + " image" + (files.size() == 1 ? "" : "s") + " at " + height + "x" + width
                    + "x" + channels;
            if (values > Integer.MAX_VALUE - 16) {
                throw new DataException(where + ": " + images + " are " + values + " values, more than one array "
                        + "holds; use a smaller height and width, or fewer images");
            }
            Memory.require(where, images, values * Float.BYTES, copies, "use a smaller height and width, fewer images");
            float[] x = new float[(int) values];
            // A decoder per worker thread: NativeImageLoader is not thread-safe, and one per image is wasteful.
            ThreadLocal<ImageDecoder> decoders = ThreadLocal.withInitial(
                    () -> new ImageDecoder(height, width, channels));
            DataException[] errors = new DataException[files.size()];
            // Each image writes its own slice of x, so the order is the files' whatever thread decodes which.
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    System.arraycopy(decoders.get().decode(files.get(i)), 0, x, i * features, features);
                } catch (DataException e) {
                    errors[i] = e;
                }
            });
            // The first bad file in folder order, so that the same folder always gives the same message.
            for (DataException e : errors) {
                if (e != null) {
                    throw e;
                }
            }
            return new Examples(x, labels, features);
        }
    }
}
