package io.hpsearch.data.csv;

import io.hpsearch.data.DataException;
import io.hpsearch.data.DataSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of the training file's columns are the label and the features, from {@code label:} and
 * {@code features:}: names with a header, 0-based indices (as text) without one.
 *
 * @param names    every column of the file: the header's names, or "0", "1", ... without a header
 * @param label    index of the label column
 * @param features indices of the feature columns, in the order given (file order by default)
 */
record Selection(List<String> names, int label, int[] features) {

    static Selection resolve(DataSpec.Csv spec, List<String> names) {
        Path file = spec.train();
        int label = index(file, spec.label(), names, spec.header(), "label column");
        int[] features;
        if (spec.features().isEmpty()) {
            features = new int[names.size() - 1];
            for (int i = 0, f = 0; i < names.size(); i++) {
                if (i != label) {
                    features[f++] = i;
                }
            }
        } else {
            Set<Integer> chosen = new LinkedHashSet<>();
            for (String name : spec.features()) {
                int i = index(file, name, names, spec.header(), "feature column");
                if (i == label) {
                    throw new DataException(file + ": features lists the label column "
                            + Problems.column(names.get(i), spec.header()) + "; take it out of features");
                }
                if (!chosen.add(i)) {
                    throw new DataException(file + ": features lists column "
                            + Problems.column(names.get(i), spec.header()) + " twice");
                }
            }
            features = chosen.stream().mapToInt(Integer::intValue).toArray();
        }
        if (features.length == 0) {
            throw new DataException(file + ": there is no feature column; the file has only the label column "
                    + Problems.column(names.get(label), spec.header()));
        }
        return new Selection(List.copyOf(names), label, features);
    }

    /** Header names of a file without a header: the 0-based indices the spec uses. */
    static List<String> indexNames(int columns) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static int index(Path file, String name, List<String> names, boolean header, String what) {
        if (header) {
            int i = names.indexOf(name);
            if (i < 0) {
                throw new DataException(file + ": " + what + " '" + name + "' is not in the header; the columns "
                        + "are: " + String.join(", ", names));
            }
            return i;
        }
        int i;
        try {
            i = Integer.parseInt(name.trim());
        } catch (NumberFormatException e) {
            throw new DataException(file + ": " + what + " '" + name + "' must be a 0-based column index, since "
                    + "the file has no header (header: false)");
        }
        if (i < 0 || i >= names.size()) {
            throw new DataException(file + ": " + what + " index " + i + " is out of range; rows have "
                    + names.size() + " fields (indices 0 to " + (names.size() - 1) + ")");
        }
        return i;
    }

    String labelName() {
        return names.get(label);
    }

    String featureName(int f) {
        return names.get(features[f]);
    }

    List<String> featureNames() {
        List<String> out = new ArrayList<>();
        for (int f : features) {
            out.add(names.get(f));
        }
        return out;
    }
}
