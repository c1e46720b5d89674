package io.hpsearch.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A run's trials as the store ranks them, with ranks and parameter columns, for every view of the ranking. */
public final class RankedTrials {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<TrialView> views = new ArrayList<>();
    private final List<String> paramNames;

    /** @param ranked trials best first, as {@code Store.rankedTrials} returns them */
    public RankedTrials(List<Trial> ranked) {
        this(ranked, 0);
    }

    /**
     * @param ranked a page of the ranking
     * @param offset the page's position in the whole ranking; completed trials come first, so a completed trial at
     *               position i has rank i + 1
     */
    public RankedTrials(List<Trial> ranked, int offset) {
        int rank = offset;
        for (Trial t : ranked) {
            boolean completed = t.state() == TrialState.COMPLETED;
            Instant end = t.finishedAt();
            views.add(new TrialView(t.number(), t.state().name(), completed ? ++rank : null, t.score(), t.scoreStd(),
                    t.epochs(), t.bestEpoch(), t.stoppedEpoch(), parse(t.params()), t.failureReason(),
                    t.startedAt().toString(),
                    end == null ? null : end.toString(),
                    end == null ? null : Duration.between(t.startedAt(), end).toMillis() / 1000.0,
                    completed && rank == 1, t.host(), t.pid(), t.retries()));
        }
        paramNames = paramNames(views.stream().map(TrialView::params).toList());
    }

    public List<TrialView> views() {
        return views;
    }

    /** Every parameter that any trial has, in display order. */
    public List<String> paramNames() {
        return paramNames;
    }

    /** Every parameter of the given parameter sets, in display order. */
    public static List<String> paramNames(List<Map<String, Object>> paramSets) {
        // The deepest network names its columns in order (units_1, dropout_1, ...); shallower ones are a prefix.
        Set<String> names = new LinkedHashSet<>();
        paramSets.stream().sorted(Comparator.comparingInt(m -> -m.size())).forEach(m -> names.addAll(m.keySet()));
        return List.copyOf(names);
    }

    /** A stored trial's parameters, in their stored order. */
    public static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored trial parameters are not JSON: " + json, e);
        }
    }
}
