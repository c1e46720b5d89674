package io.hpsearch.report;

import io.hpsearch.store.ClassMetrics;
import io.hpsearch.store.TestEvaluation;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Plain-text formatting shared by the commands. */
public final class Text {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private Text() {
    }

    public static String score(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    public static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f %%", v * 100);
    }

    public static String instant(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    public static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /** Left-aligned columns, two spaces apart, a dashed rule under the header. */
    public static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        line(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            rule.append("-".repeat(width[c])).append(c < width.length - 1 ? "  " : "");
        }
        out.println(rule);
        for (List<String> row : rows) {
            line(out, row, width);
        }
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            sb.append(c < cells.size() - 1 ? cell + " ".repeat(width[c] - cell.length() + 2) : cell);
        }
        out.println(sb);
    }

    /** What a run trained on: type, files with a short SHA-256, counts, shape, classes; nothing before it started. */
    @SuppressWarnings("unchecked")
    public static void runData(PrintWriter out, RunData data) {
        Map<String, Object> json = data.json();
        if (json.isEmpty()) {
            return;
        }
        Map<String, Object> counts = (Map<String, Object>) json.get("counts");
        out.printf(Locale.ROOT, "Data: %s, %s; %,d training, %,d validation, %,d test examples; classes: %s%n",
                json.get("type"), data.shape().describe(), ((Number) counts.get("train")).intValue(),
                ((Number) counts.get("validation")).intValue(), ((Number) counts.get("test")).intValue(),
                String.join(", ", data.classes()));
        for (Map<String, Object> file : (List<Map<String, Object>>) json.get("files")) {
            out.printf(Locale.ROOT, "  %s: %s (SHA-256 %s)%n", file.get("role"), file.get("path"),
                    String.valueOf(file.get("sha256")).substring(0, 12));
            if (file.get("skipped") instanceof Number skipped) {
                int count = skipped.intValue();
                List<String> names = file.get("skipped_entries") instanceof List<?> list
                        ? list.stream().map(String::valueOf).toList() : List.of();
                out.printf(Locale.ROOT, "    skipped: %,d entr%s that %s hpsearch reads%s%s%n", count,
                        count == 1 ? "y" : "ies", count == 1 ? "is not an image" : "are not images",
                        names.isEmpty() ? "" : ": " + String.join(", ", names),
                        !names.isEmpty() && names.size() < count ? ", ..." : "");
            }
        }
    }

    /** The best network's test evaluation: accuracy, macro F1, and a row per class. */
    public static void testEvaluation(PrintWriter out, TestEvaluation test) {
        out.println();
        out.printf(Locale.ROOT, "Best trial %d on the test set (%s): accuracy %.2f %%, macro F1 %.4f%n",
                test.trialNumber(), test.modelPath(), test.accuracy() * 100, test.macroF1());
        List<List<String>> rows = new ArrayList<>();
        for (ClassMetrics c : test.classes()) {
            rows.add(List.of(c.className(), fixed(c.precision()), fixed(c.recall()), fixed(c.f1()),
                    String.valueOf(c.support())));
        }
        table(out, List.of("class", "precision", "recall", "f1", "support"), rows);
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
