package io.hpsearch.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's data as its networks see it: the dataset's training examples split into the part trials train on and the
 * validation part they are scored on, the encoding fitted on the first part only, and all three parts encoded.
 */
public record TrainingData(Dataset source, Examples train, Examples validation, Examples test, Encoding encoding) {
    /** How many of a folder's entries that were not read the record names. */
    static final int SKIPPED_KEPT = 20;

    /**
     * Splits, fits and encodes. The same dataset, fraction, seed and limit always give the same parts.
     *
     * @throws DataException when a class has too few examples for a validation split
     */
    public static TrainingData prepare(Dataset data, double validationSplit, long seed, int trainLimit) {
        checkSplittable(data, validationSplit);
        Split split = Split.stratified(data.train(), validationSplit, seed, trainLimit);
        Encoding encoding = data.fit(split.train());
        return new TrainingData(data, encoding.encode(split.train()), encoding.encode(split.validation()),
                encoding.encode(data.test()), encoding);
    }

    /** @throws DataException when a class of the data has too few examples for the validation split */
    public static void checkSplittable(Dataset data, double validationSplit) {
        Holdout.requireSplittable(data.train(), validationSplit, sourceName(data), data.classes(),
                "hold out a validation split (training.validation_split: " + validationSplit + ")");
    }

    public InputShape shape() {
        return encoding.shape();
    }

    public List<String> classes() {
        return source.classes();
    }

    /**
     * What a run stores about its data: type, files and their SHA-256 (and a folder's entries not read), counts per part and per class, the shape or
     * feature columns, the class names. JSON-ready.
     */
    public Map<String, Object> record() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", source.type());
        List<Map<String, Object>> files = new ArrayList<>();
        for (Dataset.DataFile f : source.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("role", f.role());
            file.put("path", f.path());
            file.put("sha256", f.sha256());
            if (!f.skipped().isEmpty()) {
                // The count and the first names: a folder of 50,000 .webp photos is not copied into every record.
                file.put("skipped", f.skipped().size());
                file.put("skipped_entries", f.skipped().subList(0, Math.min(SKIPPED_KEPT, f.skipped().size())));
            }
            files.add(file);
        }
        m.put("files", files);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("train", train.size());
        counts.put("validation", validation.size());
        counts.put("test", test.size());
        m.put("counts", counts);
        Map<String, Object> perClass = new LinkedHashMap<>();
        perClass.put("train", train.classCounts(classes().size()));
        perClass.put("validation", validation.classCounts(classes().size()));
        perClass.put("test", test.classCounts(classes().size()));
        m.put("class_counts", perClass);
        m.put("shape", shape().toMap());
        if (!source.features().isEmpty()) {
            m.put("features", source.features());
        }
        m.put("classes", classes());
        return m;
    }

    /** The first file of the data, to name it in messages. */
    private static String sourceName(Dataset data) {
        return data.files().isEmpty() ? data.type() : data.files().get(0).path();
    }
}
