package io.hpsearch.data;

import io.hpsearch.data.csv.TableEncoding;

import java.util.Map;

/** Rebuilds an {@link Encoding} from what {@link Encoding#describe()} saved in a model file. */
public final class Encodings {
    private Encodings() {
    }

    /** @throws DataException when the description is not one this version of hpsearch writes */
    public static Encoding restore(Map<?, ?> description) {
        Object kind = description.get("kind");
        if (ImageEncoding.KIND.equals(kind)) {
            return ImageEncoding.restore(description);
        }
        if (TableEncoding.KIND.equals(kind)) {
            return TableEncoding.restore(description);
        }
        throw new DataException("the model file's input description has kind '" + kind + "', which this version of "
                + "hpsearch cannot read");
    }
}
