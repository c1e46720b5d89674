package io.hpsearch.runner;

import io.hpsearch.data.TrainingData;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trainer.Cpu;
import io.hpsearch.trainer.NetworkCost;
import io.hpsearch.trainer.ThroughputProbe;
import io.hpsearch.trial.TrialParams;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Chooses a run's workers and threads by measuring them on this machine, rather than by a constant. Whether a second
 * native thread helps one network or hurts it depends on the CPU: on a 2-core AMD EPYC one trial on 2 threads was
 * 1.2x faster than on 1, on a 2-core Intel Xeon 2x slower (bench/README.md, "Threads"). So before a run trains, the
 * splits worth trying (one worker per core with one thread each, one worker with every core, ...) each train the
 * run's own kind of network for about a second, and the fastest in examples per second, all workers together, wins;
 * within 5 % of it, the split with the most workers does ({@link #pick}).
 * The answer is cached per machine, natives and network shape, so a machine measures a shape once.
 *
 * <p>--workers and --threads still decide what they name: with both the split is theirs; with --threads alone the
 * cores left decide the workers; with --workers alone the threads are measured. A run too short to be worth a few
 * seconds of measuring gets one worker per trial (up to the cores), with one thread each for dense networks and the
 * cores shared evenly for convolutional ones: the choice that was never slow by much for its kind on the machines
 * measured.
 */
public final class Calibration implements ParallelismPolicy {
    /** A run estimated to train for less than this is not measured. */
    static final Duration WORTH_MEASURING = Duration.ofMinutes(1);
    /**
     * The share of a core's measured gemm rate that training is assumed to sustain, for that estimate: a little under
     * what MLPs reached in bench/throughput (0.30 of 192 GFLOPS on an AMD EPYC, validation and bookkeeping
     * included), so that a doubtful run is measured. A constant rate (20 GFLOPS, a slow core's) made a 16-s
     * six-network run look like 103 s there, and it spent seconds measuring; 0.25 of an Intel Xeon's 69 GFLOPS is
     * still that rate.
     */
    private static final double GEMM_SHARE = 0.25;
    /** The products (GEMM_SIZE square) and how long the gemm rate behind the estimate is measured. */
    private static final int GEMM_SIZE = 256;
    private static final Duration GEMM_TIME = Duration.ofMillis(30);
    /**
     * Splits whose measured rates are this close to the fastest's count as equally fast ({@link #pick}): a second's
     * measurement of the same split varies by a few per cent from one run to the next.
     */
    static final double SAME_SPEED = 0.05;
    /** One "WxT rate" of a cache entry's text; rates are written with thousands separators. */
    private static final Pattern RATE =
            Pattern.compile("(\\d+x\\d+) (\\d{1,3}(?:,\\d{3})*)(?!\\d)");
    /** Networks drawn from the space to pick a representative from (the median by cost). */
    private static final int DRAWS = 5;

    private final Integer workers;
    private final Integer threads;
    private final int cores;
    private final Path cacheFile;
    private final Duration measure;
    private final Duration worthMeasuring;

    /**
     * @param workers   --workers, or null
     * @param threads   --threads, or null
     * @param cacheFile where measurements are kept between runs; null to measure every time
     */
    public Calibration(Integer workers, Integer threads, int cores, Path cacheFile) {
        this(workers, threads, cores, cacheFile, Duration.ofSeconds(1), WORTH_MEASURING);
    }

    Calibration(Integer workers, Integer threads, int cores, Path cacheFile, Duration measure,
                Duration worthMeasuring) {
        this.workers = workers;
        this.threads = threads;
        this.cores = cores;
        this.cacheFile = cacheFile;
        this.measure = measure;
        this.worthMeasuring = worthMeasuring;
    }

    /** The cache's usual place: $XDG_CACHE_HOME/hpsearch, else ~/.cache/hpsearch. */
    public static Path defaultCacheFile() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("hpsearch").resolve("threads.properties");
    }

    @Override
    public Parallelism choose(SpaceSpec spec, TrainingData data, int plannedTrials) {
        if (workers != null && threads != null) {
            return new Parallelism(workers, threads, "as given by --workers and --threads");
        }
        if (threads != null) {
            int w = Math.max(1, Math.min(Math.min(cores, plannedTrials), cores / threads));
            return new Parallelism(w, threads, "--threads " + threads + " on " + cores + " cores");
        }
        List<Parallelism> candidates = candidates(plannedTrials);
        Parallelism fallback = candidates.get(0);
        if (candidates.size() == 1) {
            return new Parallelism(fallback.workers(), fallback.threads(), "the only split of " + cores
                    + (cores == 1 ? " core" : " cores") + (workers != null ? " with --workers " + workers : ""));
        }
        TrialParams network = representative(spec, data);
        if (network == null) {
            return new Parallelism(fallback.workers(), fallback.threads(), "the space drew no network to measure");
        }
        int classes = data.classes().size();
        long macs = NetworkCost.forwardMacs(network, data.shape(), classes);
        double estimate = 6.0 * macs * data.train().size() * spec.training().epochs() * plannedTrials
                / (GEMM_SHARE * ThroughputProbe.gemmFlopsPerSecond(GEMM_SIZE, GEMM_TIME) * cores);
        if (estimate < worthMeasuring.toSeconds()) {
            return unmeasured(candidates, network, String.format(Locale.ROOT,
                    "about %.0f s of training is not worth measuring", estimate));
        }
        int batchSize = network.integer("batch_size", spec.training().batchSize());
        String key = key(network, macs, batchSize, data, candidates);
        Map<String, String> cache = readCache();
        String cached = cache.get(key);
        if (cached != null) {
            // The rates kept are weighed again, so a cache written under an older rule gets today's choice.
            Map<Parallelism, Double> keptRates = parseRates(cached, candidates);
            boolean weighed = keptRates.size() == candidates.size();
            Parallelism chosen = weighed ? pick(keptRates) : parse(cached.split(" ", 2)[0], candidates);
            if (chosen != null) {
                return new Parallelism(chosen.workers(), chosen.threads(), "measured on this machine before ("
                        + cached.split(" ", 2)[1] + "; " + cacheFile + ")"
                        + (weighed ? whyNotFastest(chosen, keptRates) : ""));
            }
        }
        Map<Parallelism, Double> rates = new LinkedHashMap<>();
        try {
            for (Parallelism p : candidates) {
                rates.put(p, ThroughputProbe.examplesPerSecond(network, data.train(), data.shape(), classes,
                        batchSize, p.workers(), p.threads(), measure));
            }
        } catch (IllegalStateException e) {
            return unmeasured(candidates, network, "measuring failed: " + e.getMessage());
        }
        Parallelism best = pick(rates);
        String measured = rates.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %,.0f",
                e.getKey().workers() + "x" + e.getKey().threads(), e.getValue())).collect(Collectors.joining(", "))
                + " examples/s";
        cache.put(key, best.workers() + "x" + best.threads() + " " + measured + ", " + LocalDate.now());
        boolean saved = writeCache(cache);
        String why = whyNotFastest(best, rates);
        return new Parallelism(best.workers(), best.threads(), (why.isEmpty() ? "fastest measured here: "
                : "measured here: ") + measured + (saved ? "; kept in " + cacheFile : "") + why);
    }

    /**
     * The split to train with: of those measured within {@link #SAME_SPEED} of the fastest, the one with the most
     * workers (then the faster). At the same speed, more trials side by side explore more of the space in the same
     * hours and let a pruner compare trials while they train: with one worker, ASHA's first trial is the only one
     * at each rung it reaches and passes them all, so a 3-hour search of 30-epoch CNNs on a 2-core machine, where
     * 2x1 and 1x2 measured 132 and 134 examples/s, trained its first network and little else.
     */
    static Parallelism pick(Map<Parallelism, Double> rates) {
        double fastest = rates.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return rates.entrySet().stream().filter(e -> e.getValue() >= fastest * (1 - SAME_SPEED))
                .max(Comparator.<Map.Entry<Parallelism, Double>>comparingInt(e -> e.getKey().workers())
                        .thenComparingDouble(Map.Entry::getValue))
                .orElseThrow().getKey();
    }

    /** Why {@code chosen} was taken over a faster split, for the reason printed; empty when it is the fastest. */
    private static String whyNotFastest(Parallelism chosen, Map<Parallelism, Double> rates) {
        Double rate = rates.get(chosen);
        double fastest = rates.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        if (rate == null || rate >= fastest) {
            return "";
        }
        return String.format(Locale.ROOT, "; %dx%d is within %.0f %% of the fastest and trains more trials side "
                + "by side", chosen.workers(), chosen.threads(), SAME_SPEED * 100);
    }

    /** The rates a cache entry's text lists ("2x1 1,320, 1x2 1,340 examples/s"), for the candidates it names. */
    static Map<Parallelism, Double> parseRates(String cached, List<Parallelism> candidates) {
        Map<Parallelism, Double> out = new LinkedHashMap<>();
        String[] choiceAndRates = cached.split(" ", 2);
        Matcher m = RATE.matcher(choiceAndRates.length == 2 ? choiceAndRates[1] : "");
        while (m.find()) {
            Parallelism p = parse(m.group(1), candidates);
            if (p != null) {
                out.put(p, Double.parseDouble(m.group(2).replace(",", "")));
            }
        }
        return out;
    }

    /**
     * The splits worth measuring: one worker per trial up to the cores, one thread each (the split used when nothing
     * can be measured); then the same workers with the cores shared evenly among them; then one worker with every
     * core.
     */
    List<Parallelism> candidates(int plannedTrials) {
        int most = Math.max(1, Math.min(cores, plannedTrials));
        List<int[]> splits = new ArrayList<>();
        if (workers != null) {
            splits.add(new int[]{workers, 1});
            splits.add(new int[]{workers, Math.max(1, cores / workers)});
        } else {
            splits.add(new int[]{most, 1});
            splits.add(new int[]{most, Math.max(1, cores / most)});
            splits.add(new int[]{1, cores});
        }
        List<Parallelism> out = new ArrayList<>();
        for (int[] s : splits) {
            if (out.stream().noneMatch(p -> p.workers() == s[0] && p.threads() == s[1])) {
                out.add(new Parallelism(s[0], s[1], "candidate"));
            }
        }
        return out;
    }

    /**
     * The split for a run that is not measured, from what the measurements so far agree on: dense networks get one
     * thread per worker (a second thread never helped them: one 4 x 512 MLP took 13.7 s on 1 thread against 14.7 s
     * on 2 on the AMD EPYC; on the Intel Xeon, before the thread fix, six MLPs took 92 s against 217 s),
     * convolutional ones the cores shared evenly among the workers (the reference CNN trained 1.66x faster on 2
     * threads than on 1 on the EPYC). The reason printed says which rule chose the split and {@code why} nothing was
     * measured.
     */
    private static Parallelism unmeasured(List<Parallelism> candidates, TrialParams network, String why) {
        Parallelism first = candidates.get(0);
        if (!network.type().convolutional()) {
            return new Parallelism(first.workers(), first.threads(),
                    "one thread per worker, as dense layers gain little from a second thread (" + why + ")");
        }
        Parallelism split = candidates.stream().filter(p -> p.workers() == first.workers())
                .max(Comparator.comparingInt(Parallelism::threads)).orElse(first);
        String rule = split.threads() > 1 ? "the cores shared evenly among the workers, as convolutions gain from "
                + "threads" : "one thread per worker, as every core has a worker of its own";
        return new Parallelism(split.workers(), split.threads(), rule + " (" + why + ")");
    }

    /** Of a few networks the space would draw, the one of median cost: the run's typical network; null if none. */
    private static TrialParams representative(SpaceSpec spec, TrainingData data) {
        List<TrialParams> drawn = new ArrayList<>(Samplers.forSpace(spec).take(DRAWS));
        if (drawn.isEmpty()) {
            return null;
        }
        drawn.sort(Comparator.comparingLong(p -> NetworkCost.forwardMacs(p, data.shape(), data.classes().size())));
        return drawn.get(drawn.size() / 2);
    }

    /**
     * hpsearch's own training paths, as a part of every cache key: measurements taken before a path changed how fast
     * a network trains, and so which split wins, are measured again rather than reused. Change it with such a path
     * ("dense-gemm": {@code FastDenseLayer}, whose products take half the time of DL4J's, changed the balance
     * between a worker's arithmetic and its bookkeeping).
     */
    static final String TRAINING_PATHS = "dense-gemm";

    /**
     * What decides the answer: the machine, the natives loaded, hpsearch's training paths, the network's kind and size,
     * the splits tried.
     */
    private String key(TrialParams network, long macs, int batchSize, TrainingData data, List<Parallelism> tried) {
        return String.join("|", Cpu.model().orElse(System.getProperty("os.arch")), cores + " cores",
                System.getProperty("org.bytedeco.javacpp.platform.extension", ""), TRAINING_PATHS, network.type().key(),
                macs + " macs", "batch " + batchSize, data.shape().toString(),
                tried.stream().map(p -> p.workers() + "x" + p.threads()).collect(Collectors.joining(",")));
    }

    private static Parallelism parse(String split, List<Parallelism> candidates) {
        return candidates.stream().filter(p -> split.equals(p.workers() + "x" + p.threads())).findFirst()
                .orElse(null);
    }

    private Map<String, String> readCache() {
        Map<String, String> out = new LinkedHashMap<>();
        if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
            return out;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(cacheFile)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return out; // unreadable: measured again, and rewritten
        }
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** Written to a temporary file and moved into place, so that two processes never leave half a file. */
    private boolean writeCache(Map<String, String> cache) {
        if (cacheFile == null) {
            return false;
        }
        Properties p = new Properties();
        p.putAll(cache);
        try {
            Files.createDirectories(cacheFile.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(cacheFile.toAbsolutePath().getParent(), "threads", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "hpsearch: workers x threads measured on this machine, and the split chosen (delete to "
                        + "measure again)");
            }
            try {
                Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            return false; // a read-only home: measured again next time, nothing lost
        }
    }
}
