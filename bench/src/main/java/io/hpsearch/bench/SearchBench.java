package io.hpsearch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.runner.RunListener;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import io.hpsearch.trainer.NativeThreads;
import io.hpsearch.trainer.OneDnn;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Searches compared at the same budget of epochs: random, TPE, each with and without ASHA pruning, and genetic
 * search, each over several seeds, side by side in one process. A search stops once its trials have trained the
 * budget's epochs (the trial in flight is cut there and its epochs count). Reports, per search kind, the best
 * validation score against epochs consumed (median and spread over seeds) and the epochs each needed to reach
 * random search's final median best. Each search is written to OUT_DIR/search.json as it ends; run again with the
 * same settings and OUT_DIR, the benchmark keeps the searches it finds there and runs the rest.
 *
 * <p>Arguments: SPACE.yaml FASHION_MNIST_DIR OUT_DIR BUDGET_EPOCHS SEEDS TRAIN_LIMIT(0: all) KINDS(comma list of
 * random,tpe,random+asha,tpe+asha,genetic; tpe-multivariate and tpe-multivariate+asha model TPE's parameters
 * jointly).
 */
public final class SearchBench {
    private SearchBench() {
    }

    /**
     * One search of one kind and seed: after each trial, in the order they ended, the epochs all workers had
     * consumed and the best score so far (see {@link #CLOCK}); and each trial's network, state and per-epoch
     * validation accuracy, so a result can be taken apart without running the search again (which networks ASHA let
     * through, what TPE proposed after its random start). Files written before the benchmark kept trials have none.
     */
    record Trajectory(String kind, long seed, List<Integer> epochs, List<Double> best, int trials, int pruned,
                      double seconds, String commit, List<TrialDetail> details) {
    }

    /**
     * One trial of a search, in trial-number order.
     *
     * @param endedAt the epochs the search had trained (all workers) when the trial finished, as
     *                {@link Store#finishes} counts them; null in files written before the benchmark recorded it
     */
    record TrialDetail(int number, String state, Double score, String params, List<Double> valAccuracy,
                       Long endedAt) {
    }

    public static void main(String[] args) throws IOException {
        OneDnn.selectNatives();
        Path spaceFile = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[2]));
        int budget = Integer.parseInt(args[3]);
        int seeds = Integer.parseInt(args[4]);
        int trainLimit = Integer.parseInt(args[5]);
        List<String> kinds = List.of(args[6].split(","));
        String yaml = Files.readString(spaceFile, StandardCharsets.UTF_8);
        int cores = Runtime.getRuntime().availableProcessors();
        NativeThreads.configure(1);

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("space", spaceFile.getFileName().toString());
        settings.put("budget_epochs", budget);
        settings.put("train_limit", trainLimit);
        settings.put("machine", Machine.cpuModel() + ", " + cores + " cores");
        settings.put("asha", asha());
        settings.put("tpe", tpe());
        settings.put("clock", CLOCK);
        Path file = out.resolve("search.json");
        // A run of 11 seeds of three kinds takes about 4 hours here: each search is written as it ends, and a run
        // started again with the same settings and OUT keeps the searches it finds and runs the rest.
        List<Trajectory> all;
        try {
            all = new ArrayList<>(earlier(file, settings, kinds));
        } catch (IllegalArgumentException e) {
            System.err.println("bench/search: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!all.isEmpty()) {
            Set<String> commits = new TreeSet<>();
            all.forEach(t -> commits.add(t.commit()));
            System.out.printf(Locale.ROOT, "%d search(es) kept from %s, run at commit(s) %s (this is %s); remove the "
                    + "file, or give another OUT, to run them again%n", all.size(), file, String.join(", ", commits),
                    COMMIT);
        }
        FashionMnist data = FashionMnist.load(Path.of(args[1]));
        for (String kind : kinds) {
            for (int s = 0; s < seeds; s++) {
                long seed = 1000 + s;
                if (all.stream().anyMatch(t -> t.kind().equals(kind) && t.seed() == seed)) {
                    System.out.printf(Locale.ROOT, "%-12s seed %d: kept from an earlier sitting (%s)%n", kind, seed,
                            file);
                    continue;
                }
                SpaceSpec spec = variant(yaml, spaceFile.toString(), kind, seed, trainLimit);
                Trajectory t = search(spec, kind, seed, data, budget, cores);
                all.add(t);
                System.out.printf(Locale.ROOT, "%-12s seed %d: best %.4f after %d epochs (%d trials, %d pruned, "
                        + "%.0f s)%n", kind, seed, last(t.best()), t.epochs().isEmpty() ? 0
                        : t.epochs().get(t.epochs().size() - 1), t.trials(), t.pruned(), t.seconds());
                write(file, settings, all, kinds, budget);
            }
        }
        Map<String, Object> summary = write(file, settings, all, kinds, budget);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
    }

    /**
     * How epochs consumed are counted, recorded with the results: a trial counts once it has finished, at the
     * epochs every worker had trained by then ({@link Store#finishes}). Files written before counted each trial at
     * the sum of its own and its lower-numbered trials' epochs, which credits a long trial earlier than it ended
     * when the other worker ran later-numbered short ones beside it (pruned searches), and are refused: they do not
     * compare.
     */
    static final String CLOCK = "trial end";

    /** The commit the benchmark runs at (run.sh passes it), recorded with each search. */
    private static final String COMMIT = System.getenv().getOrDefault("BENCH_COMMIT", "unknown");

    /** ASHA's settings for the +asha kinds, from the environment (ASHA="min_epochs: 2, reduction_factor: 3"). */
    static String asha() {
        return System.getenv().getOrDefault("ASHA", "min_epochs: 1, reduction_factor: 3");
    }

    /**
     * TPE's settings for the tpe kinds, from the environment (TPE="startup_trials: 5"); empty: the space's (Optuna's)
     * defaults.
     */
    static String tpe() {
        return System.getenv().getOrDefault("TPE", "").trim();
    }

    /**
     * Whether a kind's searches depend on a setting that only some kinds use: ASHA's on the +asha kinds, TPE's on
     * the tpe kinds. Every other setting applies to all kinds.
     */
    static boolean uses(String kind, String setting) {
        return switch (setting) {
            case "asha" -> kind.endsWith("+asha");
            case "tpe" -> kind.startsWith("tpe");
            default -> true;
        };
    }

    /**
     * Writes every search so far and their summary to {@code file}, whole or not at all (a temporary file moved
     * over it), so a run stopped in the middle of a write keeps the searches written before, and plots them beside
     * it (search.png). The summary (returned) covers this run's kinds and any others an earlier sitting ran.
     */
    private static Map<String, Object> write(Path file, Map<String, Object> settings, List<Trajectory> all,
                                             List<String> kinds, int budget) throws IOException {
        Set<String> reported = new LinkedHashSet<>(kinds);
        all.forEach(t -> reported.add(t.kind()));
        Map<String, Object> result = new LinkedHashMap<>(settings);
        result.put("searches", all);
        Map<String, Object> summary = summary(all, List.copyOf(reported), budget);
        result.put("summary", summary);
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "search", ".json.tmp");
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), result);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        plot(all, List.copyOf(reported), budget, file.resolveSibling("search.png"));
        return summary;
    }

    /**
     * The searches an earlier sitting wrote to {@code file}, when it ran with the same {@code settings} (space file
     * name, budget, training limit, machine, and ASHA's or TPE's settings when both it and this run have kinds that
     * use them); none when there is no file. A file written with other settings is refused, not overwritten: its
     * searches are not comparable with this run's. When this run has no kind that uses ASHA's (TPE's) settings,
     * {@code settings} takes the file's, which its searches ran with. A file written before the benchmark recorded
     * TPE's settings ran TPE with the space's defaults.
     */
    static List<Trajectory> earlier(Path file, Map<String, Object> settings, List<String> kinds) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a search benchmark's results (" + e.getMessage()
                    + "): move it away, or give another OUT", e);
        }
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            String key = setting.getKey();
            JsonNode was = key.equals("tpe") && root.path(key).isMissingNode()
                    ? TextNode.valueOf("") : root.path(key);
            boolean runUses = kinds.stream().anyMatch(k -> uses(k, key));
            boolean fileUses = false;
            for (JsonNode t : root.path("searches")) {
                fileUses |= uses(t.path("kind").asText(), key);
            }
            if (!(runUses && fileUses)) {
                if (!runUses && fileUses) {
                    setting.setValue(was.asText());
                }
                continue;
            }
            if (was.isMissingNode()) {
                throw new IllegalArgumentException(file + " does not say which " + setting.getKey() + " its searches "
                        + "ran with (written before the benchmark recorded it, or not by it): move it away, or give "
                        + "another OUT");
            }
            if (!was.asText("").equals(String.valueOf(setting.getValue()))) {
                throw new IllegalArgumentException(file + " holds searches run with " + setting.getKey() + " "
                        + was + ", not " + setting.getValue() + ": give another OUT to start afresh, or the same "
                        + "settings to go on with it");
            }
        }
        List<Trajectory> kept = new ArrayList<>();
        for (JsonNode t : root.path("searches")) {
            List<Integer> epochs = new ArrayList<>();
            t.path("epochs").forEach(e -> epochs.add(e.asInt()));
            List<Double> best = new ArrayList<>();
            t.path("best").forEach(b -> best.add(b.isNull() ? null : b.asDouble()));
            List<TrialDetail> details = new ArrayList<>();
            for (JsonNode d : t.path("details")) {
                List<Double> curve = new ArrayList<>();
                d.path("valAccuracy").forEach(v -> curve.add(v.asDouble()));
                details.add(new TrialDetail(d.path("number").asInt(), d.path("state").asText(),
                        d.path("score").isNumber() ? d.path("score").asDouble() : null, d.path("params").asText(),
                        curve, d.path("endedAt").isNumber() ? d.path("endedAt").asLong() : null));
            }
            kept.add(new Trajectory(t.path("kind").asText(), t.path("seed").asLong(), epochs, best,
                    t.path("trials").asInt(), t.path("pruned").asInt(), t.path("seconds").asDouble(),
                    t.path("commit").asText("unknown"), details));
        }
        return kept;
    }

    /** The space with the kind's search and pruner, the seed, and the training limit. */
    static SpaceSpec variant(String yaml, String source, String kind, long seed, int trainLimit) {
        String search = kind.replace("+asha", "");
        // tpe-multivariate: TPE with its parameters modelled jointly (tpe: {multivariate: true}).
        boolean multivariate = search.equals("tpe-multivariate");
        if (multivariate) {
            search = "tpe";
        }
        String text = yaml.replaceAll("(?m)^search:.*$", "search: " + search)
                .replaceAll("(?m)^max_trials:.*$", "max_trials: 100000");
        if (!text.contains("search:")) {
            text = "search: " + search + "\n" + text;
        }
        if (search.equals("tpe")) {
            // TPE's settings come from the environment too (TPE="startup_trials: 5").
            List<String> options = new ArrayList<>();
            if (multivariate) {
                options.add("multivariate: true");
            }
            if (!tpe().isEmpty()) {
                options.add(tpe());
            }
            if (!options.isEmpty()) {
                text = text + "\ntpe: {" + String.join(", ", options) + "}\n";
            }
        }
        if (kind.endsWith("+asha")) {
            // ASHA's settings come from the environment, so the pruner can be tuned without a rebuild.
            text = text + "\npruner: {type: asha, " + asha() + "}\n";
        }
        SpaceSpec spec = SpaceParser.parse(text, source).withSeed(seed);
        return trainLimit > 0 ? spec.withTraining(spec.training().withTrainLimit(trainLimit)) : spec;
    }

    private static Trajectory search(SpaceSpec spec, String kind, long seed, FashionMnist data, int budget,
                                     int workers) throws IOException {
        try (ScratchStore scratch = ScratchStore.create("hpsearch-search-bench")) {
            AtomicInteger epochs = new AtomicInteger();
            SearchRunner[] runner = new SearchRunner[1];
            RunListener stopAtBudget = new RunListener() {
                @Override
                public void epochEnded(int trialNumber, EpochMetrics metrics) {
                    if (epochs.incrementAndGet() >= budget) {
                        runner[0].cancel();
                    }
                }
            };
            runner[0] = new SearchRunner(scratch.store(), data.dataset(), workers, 1,
                    stopAtBudget);
            long start = System.nanoTime();
            SearchRunner.Outcome outcome = runner[0].run(spec, "name: bench\n");
            double seconds = (System.nanoTime() - start) / 1e9;
            // The trajectory in the order the trials finished, as the dashboard's comparison of runs draws it.
            List<Trial> trials = scratch.store().trials(outcome.runId());
            List<Store.Finish> finishes = scratch.store().finishes(outcome.runId(), trials);
            Map<Integer, Long> endedAt = new HashMap<>();
            List<Integer> consumed = new ArrayList<>();
            List<Double> best = new ArrayList<>();
            Double bestSoFar = null;
            for (Store.Finish f : finishes) {
                Trial t = f.trial();
                if (t.state() == TrialState.COMPLETED && (bestSoFar == null
                        || spec.objective().beats(t.score(), bestSoFar, 0))) {
                    bestSoFar = t.score();
                }
                endedAt.put(t.number(), f.epochs());
                consumed.add((int) f.epochs());
                best.add(bestSoFar);
            }
            List<TrialDetail> details = new ArrayList<>();
            int pruned = 0;
            for (Trial t : trials) {
                details.add(new TrialDetail(t.number(), t.state().name(), t.score(), t.params(),
                        scratch.store().epochs(t.id()).stream().map(EpochMetrics::valAccuracy).toList(),
                        endedAt.get(t.number())));
                if (t.state() == TrialState.PRUNED) {
                    pruned++;
                }
            }
            return new Trajectory(kind, seed, consumed, best, consumed.size(), pruned, seconds, COMMIT, details);
        }
    }

    /** Per kind: median and range of the best score at each tenth of the budget; epochs to random's median best. */
    static Map<String, Object> summary(List<Trajectory> all, List<String> kinds, int budget) {
        Map<String, Object> out = new LinkedHashMap<>();
        double target = median(all.stream().filter(t -> t.kind().equals("random"))
                .mapToDouble(t -> bestAt(t, budget)).toArray());
        out.put("random_final_median_best", target);
        for (String kind : kinds) {
            List<Trajectory> runs = all.stream().filter(t -> t.kind().equals(kind)).toList();
            if (runs.isEmpty()) {
                continue; // a kind of this run stopped before its first search ended
            }
            Map<String, Object> k = new LinkedHashMap<>();
            List<Map<String, Object>> curve = new ArrayList<>();
            for (int step = 1; step <= 10; step++) {
                int at = budget * step / 10;
                double[] bests = runs.stream().mapToDouble(t -> bestAt(t, at)).toArray();
                curve.add(Map.of("epochs", at, "median", median(bests), "min", Arrays.stream(bests).min().orElse(0),
                        "max", Arrays.stream(bests).max().orElse(0)));
            }
            k.put("seeds", runs.size());
            k.put("best_by_epochs", curve);
            double[] reach = runs.stream().mapToDouble(t -> epochsToReach(t, target)).toArray();
            k.put("epochs_to_random_median_best_median", median(reach));
            k.put("epochs_to_random_median_best_median_95", bootstrapMedian95(reach));
            k.put("epochs_to_random_median_best", reach);
            k.put("trials_median", median(runs.stream().mapToDouble(Trajectory::trials).toArray()));
            k.put("pruned_median", median(runs.stream().mapToDouble(Trajectory::pruned).toArray()));
            out.put(kind, k);
        }
        return out;
    }

    /** The best score a search had found once it had consumed {@code epochs} (NaN before any trial completed). */
    static double bestAt(Trajectory t, int epochs) {
        double best = Double.NaN;
        for (int i = 0; i < t.epochs().size() && t.epochs().get(i) <= epochs; i++) {
            if (t.best().get(i) != null) {
                best = t.best().get(i);
            }
        }
        return best;
    }

    /** Epochs consumed when the search first reached {@code target}; infinity if it never did. */
    static double epochsToReach(Trajectory t, double target) {
        for (int i = 0; i < t.epochs().size(); i++) {
            if (t.best().get(i) != null && t.best().get(i) >= target) {
                return t.epochs().get(i);
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * The 95 % bootstrap interval of the median of {@code values} (10,000 resamples, fixed seed): with a handful of
     * seeds it says whether a difference in median epochs means anything (5 seeds of which 2 never reach the
     * target give an interval that ends at infinity).
     */
    static double[] bootstrapMedian95(double[] values) {
        if (values.length == 0) {
            return new double[]{Double.NaN, Double.NaN};
        }
        java.util.Random rng = new java.util.Random(1);
        double[] medians = new double[10_000];
        double[] sample = new double[values.length];
        for (int r = 0; r < medians.length; r++) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = values[rng.nextInt(values.length)];
            }
            medians[r] = median(sample);
        }
        Arrays.sort(medians);
        return new double[]{medians[250], medians[9_749]};
    }

    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double last(List<Double> values) {
        for (int i = values.size() - 1; i >= 0; i--) {
            if (values.get(i) != null) {
                return values.get(i);
            }
        }
        return Double.NaN;
    }

    /** Median best-so-far against epochs, one line per kind, as a PNG (no plotting library needed). */
    private static void plot(List<Trajectory> all, List<String> kinds, int budget, Path file) throws IOException {
        // The legend on the right is as wide as the longest kind's name (at most 8 pixels a character at 12 points).
        int right = Math.max(170, 40 + 8 * kinds.stream().mapToInt(String::length).max().orElse(0));
        int w = 730 + right;
        int h = 560;
        int left = 80;
        int top = 40;
        int bottom = 60;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        Map<String, double[]> lines = new LinkedHashMap<>();
        for (String kind : kinds) {
            double[] ys = new double[budget + 1];
            for (int e = 0; e <= budget; e++) {
                int at = e;
                double[] bests = all.stream().filter(t -> t.kind().equals(kind)).mapToDouble(t -> bestAt(t, at))
                        .toArray();
                // Drawn only once every seed has a completed trial: a median of the seeds that have one would
                // jump down as slower seeds join.
                ys[e] = Arrays.stream(bests).anyMatch(Double::isNaN) ? Double.NaN : median(bests);
                if (!Double.isNaN(ys[e])) {
                    lo = Math.min(lo, ys[e]);
                    hi = Math.max(hi, ys[e]);
                }
            }
            lines.put(kind, ys);
        }
        lo = Math.max(lo, hi - 0.08);
        g.setColor(Color.BLACK);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            int y = h - bottom - (int) ((h - top - bottom) * i / 4.0);
            g.drawString(String.format(Locale.ROOT, "%.4f", v), 10, y + 4);
            int x = left + (w - left - right) * i / 4;
            g.drawString(String.valueOf(budget * i / 4), x - 10, h - bottom + 20);
        }
        g.drawString("epochs consumed", left + (w - left - right) / 2 - 40, h - 15);
        g.drawString("median best validation score over seeds", left, 25);
        Color[] colours = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
                new Color(0x9467bd), new Color(0x8c564b)};
        int c = 0;
        for (Map.Entry<String, double[]> line : lines.entrySet()) {
            g.setColor(colours[c % colours.length]);
            g.setStroke(new BasicStroke(2f));
            double[] ys = line.getValue();
            int px = -1;
            int py = -1;
            for (int e = 0; e <= budget; e++) {
                if (Double.isNaN(ys[e])) {
                    continue;
                }
                int x = left + (int) ((w - left - right) * (double) e / budget);
                int y = h - bottom - (int) ((h - top - bottom) * Math.max(0, (ys[e] - lo)) / Math.max(1e-9, hi - lo));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(w - right + 15, top + 20 + c * 22, 14, 4);
            g.drawString(line.getKey(), w - right + 35, top + 26 + c * 22);
            c++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
