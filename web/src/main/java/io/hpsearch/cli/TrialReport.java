package io.hpsearch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.store.Run;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Ranked trials of a run as a table, CSV or JSON: every parameter its own column. */
final class TrialReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    enum Format { TABLE, CSV, JSON }

    private final Run run;
    private final List<Trial> ranked;
    private final List<Map<String, Object>> params = new ArrayList<>();
    private final List<String> paramNames;

    /** @param ranked trials best first, as the store ranks them */
    TrialReport(Run run, List<Trial> ranked) {
        this.run = run;
        this.ranked = ranked;
        for (Trial t : ranked) {
            params.add(parse(t.params()));
        }
        // The deepest network names its columns in order (units_1, dropout_1, ...); shallower ones are a prefix.
        Set<String> names = new LinkedHashSet<>();
        params.stream().sorted(Comparator.comparingInt((Map<String, Object> m) -> -m.size()))
                .forEach(m -> names.addAll(m.keySet()));
        paramNames = List.copyOf(names);
    }

    void print(PrintWriter out, Format format) {
        switch (format) {
            case TABLE -> table(out);
            case CSV -> csv(out);
            case JSON -> json(out);
        }
        out.flush();
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("rank", "trial", "status", run.objective().key(), "epochs"));
        h.addAll(paramNames);
        h.add("duration");
        h.add("failure");
        return h;
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        int rank = 0;
        for (int i = 0; i < ranked.size(); i++) {
            Trial t = ranked.get(i);
            List<String> row = new ArrayList<>();
            row.add(t.state() == TrialState.COMPLETED ? String.valueOf(++rank) : "-");
            row.add(String.valueOf(t.number()));
            row.add(t.state().name().toLowerCase());
            row.add(io.hpsearch.cli.Format.score(t.score()));
            row.add(String.valueOf(t.epochs()));
            for (String name : paramNames) {
                Object v = params.get(i).get(name);
                row.add(v == null ? "" : String.valueOf(v));
            }
            row.add(t.finishedAt() == null ? "-"
                    : io.hpsearch.cli.Format.duration(Duration.between(t.startedAt(), t.finishedAt())));
            row.add(t.failureReason() == null ? "" : t.failureReason());
            rows.add(row);
        }
        return rows;
    }

    private void table(PrintWriter out) {
        io.hpsearch.cli.Format.table(out, header(), rows());
    }

    private void csv(PrintWriter out) {
        out.println(String.join(",", header().stream().map(TrialReport::csvCell).toList()));
        for (List<String> row : rows()) {
            out.println(String.join(",", row.stream().map(TrialReport::csvCell).toList()));
        }
    }

    private static String csvCell(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private void json(PrintWriter out) {
        List<Map<String, Object>> items = new ArrayList<>();
        int rank = 0;
        for (int i = 0; i < ranked.size(); i++) {
            Trial t = ranked.get(i);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("rank", t.state() == TrialState.COMPLETED ? ++rank : null);
            item.put("trial", t.number());
            item.put("status", t.state().name().toLowerCase());
            item.put("objective", run.objective().key());
            item.put("score", t.score());
            item.put("epochs", t.epochs());
            item.put("params", params.get(i));
            item.put("started_at", t.startedAt() == null ? null : t.startedAt().toString());
            item.put("finished_at", t.finishedAt() == null ? null : t.finishedAt().toString());
            item.put("failure_reason", t.failureReason());
            items.add(item);
        }
        try {
            out.println(JSON.writeValueAsString(items));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write trials as JSON", e);
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored trial parameters are not JSON: " + json, e);
        }
    }
}
