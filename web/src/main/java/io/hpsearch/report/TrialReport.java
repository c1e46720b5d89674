package io.hpsearch.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.store.Run;
import io.hpsearch.store.Trial;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Ranked trials of a run as a table, CSV or JSON: every parameter its own column. */
public final class TrialReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public enum Format { TABLE, CSV, JSON }

    private final Run run;
    private final RankedTrials trials;

    /** @param ranked trials best first, as the store ranks them */
    public TrialReport(Run run, List<Trial> ranked) {
        this.run = run;
        this.trials = new RankedTrials(ranked);
    }

    public void print(PrintWriter out, Format format) {
        switch (format) {
            case TABLE -> Text.table(out, header(), rows());
            case CSV -> csv(out);
            case JSON -> json(out);
        }
        out.flush();
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("rank", "trial", "status", run.objective().key(), "epochs"));
        h.addAll(trials.paramNames());
        h.add("duration");
        h.add("reason");
        return h;
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (TrialView t : trials.views()) {
            List<String> row = new ArrayList<>();
            row.add(t.rank() == null ? "-" : String.valueOf(t.rank()));
            row.add(String.valueOf(t.number()));
            row.add(t.state().toLowerCase(Locale.ROOT));
            row.add(Text.score(t.score()) + (t.scoreStd() == null ? "" : " ±" + Text.score(t.scoreStd())));
            row.add(String.valueOf(t.epochs()));
            for (String name : trials.paramNames()) {
                Object v = t.params().get(name);
                row.add(v == null ? "" : String.valueOf(v));
            }
            row.add(t.durationSeconds() == null ? "-"
                    : Text.duration(Duration.ofMillis(Math.round(t.durationSeconds() * 1000))));
            row.add(t.failureReason() == null ? "" : t.failureReason());
            rows.add(row);
        }
        return rows;
    }

    private void csv(PrintWriter out) {
        out.println(String.join(",", header().stream().map(TrialReport::csvCell).toList()));
        for (List<String> row : rows()) {
            out.println(String.join(",", row.stream().map(TrialReport::csvCell).toList()));
        }
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so that spreadsheets do not run it. */
    private static String csvCell(String v) {
        String safe = v.length() > 1 && "=+-@".indexOf(v.charAt(0)) >= 0 && !isNumber(v) ? "'" + v : v;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n")
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void json(PrintWriter out) {
        try {
            out.println(JSON.writeValueAsString(trials.views()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write trials as JSON", e);
        }
    }
}
