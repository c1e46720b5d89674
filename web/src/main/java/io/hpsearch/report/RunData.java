package io.hpsearch.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.data.InputShape;
import io.hpsearch.store.Store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data a run trained on, as it recorded it when it started (files and SHA-256, counts, shape, classes). Runs
 * recorded before hpsearch kept this trained on Fashion-MNIST, so that is what an empty record means.
 *
 * @param json the record as stored, JSON-ready; empty for a run that has not started
 */
public record RunData(Map<String, Object> json) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunData of(Store store, long runId) {
        return new RunData(store.runData(runId).map(RunData::parse).orElse(Map.of()));
    }

    /** What the run's networks take as input. */
    public InputShape shape() {
        Object shape = json.get("shape");
        return shape instanceof Map<?, ?> m ? InputShape.fromMap(m)
                : InputShape.image(1, FashionMnist.IMAGE_SIDE, FashionMnist.IMAGE_SIDE);
    }

    @SuppressWarnings("unchecked")
    public List<String> classes() {
        Object classes = json.get("classes");
        return classes instanceof List<?> list ? (List<String>) list : FashionMnist.CLASS_NAMES;
    }

    private static Map<String, Object> parse(String text) {
        try {
            return JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored run data is not JSON: " + text, e);
        }
    }
}
