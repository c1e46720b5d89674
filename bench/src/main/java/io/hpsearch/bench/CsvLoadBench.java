package io.hpsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.hpsearch.data.DataSpec;
import io.hpsearch.data.Dataset;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.Examples;
import io.hpsearch.data.TrainingData;
import io.hpsearch.data.csv.CsvDataset;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loading a large numeric table: hpsearch's CSV reader against plain readers of the same file into the same float
 * arrays. Each contender runs in a JVM of its own (bench/data/run.sh starts them), so that its peak resident set
 * ({@code VmHWM}) and peak heap are its own and no contender warms the JIT or the page cache for another beyond what
 * the file's first read does (run.sh reads the file once before the first contender).
 *
 * <p>Usage:
 * <pre>
 *   CsvLoadBench generate FILE ROWS COLUMNS           a seeded numeric table, COLUMNS features + a 5-class label
 *   CsvLoadBench measure CONTENDER FILE OUT.json      one contender: hpsearch, hpsearch-prepare, plain or datavec
 * </pre>
 *
 * <p>Memory figures: <em>live heap</em> is the heap in use right after a full collection at the end of a step (what
 * the step's results occupy); <em>peak live heap</em> is the largest heap in use after any collection during the
 * contender's run (a lower bound of the heap it needs); <em>peak heap</em> is the largest heap in use before any
 * collection (it depends on how lazily the collector runs, so it is reported but not used for ratios); peak RSS is
 * the process's {@code VmHWM} (heap, JIT, native libraries).
 */
public final class CsvLoadBench {
    static final String LABEL = "label";
    private static final long SEED = 20240611L;
    private static final int CLASSES = 5;
    /** The run's validation split and seed, as a space would give them (spaces default to 0.2). */
    private static final double VALIDATION_SPLIT = 0.2;
    private static final long SPLIT_SEED = 42;

    private CsvLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("generate")) {
            generate(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else if (args.length == 4 && args[0].equals("measure")) {
            measure(args[1], Path.of(args[2]), Path.of(args[3]));
        } else {
            System.err.println("usage: CsvLoadBench generate FILE ROWS COLUMNS\n"
                    + "       CsvLoadBench measure hpsearch|hpsearch-prepare|plain|datavec FILE OUT.json");
            System.exit(2);
        }
    }

    /**
     * Gaussian features with three decimals (values like -12.345, as measurements print) and an integer label,
     * from a fixed seed: the same file on every machine.
     */
    static void generate(Path file, int rows, int columns) throws IOException {
        long start = System.nanoTime();
        Random random = new Random(SEED);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append('f').append(c).append(',');
            }
            out.write(line.append(LABEL).append('\n').toString());
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                for (int c = 0; c < columns; c++) {
                    line.append(Math.round(random.nextGaussian() * 1e4) / 1e3).append(',');
                }
                out.write(line.append(random.nextInt(CLASSES)).append('\n').toString());
            }
        }
        System.out.printf("Generated %s: %,d rows x %d features + label, %,d MB, in %.1f s%n", file.getFileName(),
                rows, columns, Files.size(file) >> 20, (System.nanoTime() - start) / 1e9);
    }

    // --- measuring ---

    /** Heap in use before and after each collection, kept by a GC listener: the only way to see a peak in between. */
    private static final AtomicLong PEAK_BEFORE_GC = new AtomicLong();
    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();

    private static void watchCollections() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                PEAK_BEFORE_GC.accumulateAndGet(heapOf(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
                PEAK_AFTER_GC.accumulateAndGet(heapOf(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
            }, null, null);
        }
    }

    /** Sum over the heap's pools (G1's eden, survivor and old generation); the rest (metaspace, code) is not heap. */
    private static long heapOf(Map<String, MemoryUsage> pools) {
        long bytes = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pools.containsKey(pool.getName())) {
                bytes += pools.get(pool.getName()).getUsed();
            }
        }
        return bytes;
    }

    /** A full collection, then the heap in use: what the objects still referenced occupy. */
    private static long liveHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        // The listener runs on its own thread shortly after the collection; the figure here is the same one.
        PEAK_AFTER_GC.accumulateAndGet(used, Math::max);
        return used;
    }

    /** The steps of one contender, each timed, with memory after it. */
    private static final class Steps {
        final List<Map<String, Object>> steps = new ArrayList<>();
        /** The empty JVM's live heap, left out of every figure: what the contender's data takes, not the JVM. */
        private final long baseline;
        private long started;

        Steps(long baseline) {
            this.baseline = baseline;
        }

        void start() {
            started = System.nanoTime();
        }

        /** Ends the step begun by {@link #start()}; the collection that measures its memory is not timed. */
        void end(String name) {
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", name);
            step.put("seconds", seconds);
            step.put("live_heap_bytes", liveHeap() - baseline);
            // Peaks up to the end of this step: the first step's are the load's own, before later steps add theirs.
            step.put("peak_live_heap_bytes_so_far", PEAK_AFTER_GC.get() - baseline);
            step.put("peak_rss_bytes_so_far", Machine.statusKib("VmHWM") * 1024);
            steps.add(step);
            System.out.printf("  %-28s %8.2f s, live heap %,7.1f MB%n", name, seconds,
                    (long) step.get("live_heap_bytes") / 1048576.0);
        }
    }

    static void measure(String contender, Path file, Path out) throws Exception {
        watchCollections();
        long baseline = liveHeap();
        Steps steps = new Steps(baseline);
        String loadBefore = loadAverage();
        System.out.println(contender + ":");
        int rows;
        int features;
        Sums sums;
        // Each branch keeps its results referenced until the end, so that the live heap counts them.
        Object keep;
        switch (contender) {
            case "hpsearch" -> {
                steps.start();
                Dataset data = CsvDataset.load(spec(file));
                steps.end("load (CsvDataset.load)");
                steps.start();
                Encoding encoding = data.fit(data.train());
                steps.end("fit (standardisation)");
                steps.start();
                Examples encoded = encoding.encode(data.train());
                steps.end("encode (training part)");
                rows = data.train().size() + data.test().size();
                features = encoded.featureCount();
                sums = Sums.of(data.train()).plus(Sums.of(data.test()));
                keep = List.of(data, encoding, encoded);
            }
            case "hpsearch-prepare" -> {
                steps.start();
                Dataset data = CsvDataset.load(spec(file));
                steps.end("load (CsvDataset.load)");
                steps.start();
                TrainingData prepared = TrainingData.prepare(data, VALIDATION_SPLIT, SPLIT_SEED, 0);
                steps.end("prepare (split, fit, encode x3)");
                rows = data.train().size() + data.test().size();
                features = prepared.train().featureCount();
                sums = Sums.of(data.train()).plus(Sums.of(data.test()));
                keep = prepared;
            }
            case "plain" -> {
                steps.start();
                Examples read = readPlain(file);
                steps.end("read (readLine + split)");
                rows = read.size();
                features = read.featureCount();
                sums = Sums.of(read);
                keep = read;
            }
            case "datavec" -> {
                steps.start();
                Examples read = readDataVec(file);
                steps.end("read (CSVRecordReader)");
                rows = read.size();
                features = read.featureCount();
                sums = Sums.of(read);
                keep = read;
            }
            default -> throw new IllegalArgumentException("unknown contender '" + contender
                    + "': expected hpsearch, hpsearch-prepare, plain or datavec");
        }
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("contender", contender);
        result.put("rows", rows);
        result.put("features", features);
        result.put("file_bytes", Files.size(file));
        result.put("cpu", Machine.cpuModel());
        result.put("cores", runtime.availableProcessors());
        result.put("java", System.getProperty("java.version"));
        result.put("max_heap_bytes", runtime.maxMemory());
        // The machine's 1-minute load average before and after: this contender alone makes it about 1.
        result.put("load_average_before", loadBefore);
        result.put("load_average_after", loadAverage());
        result.put("jvm_baseline_live_heap_bytes", baseline);
        result.put("feature_sum", sums.features());
        result.put("label_sum", sums.labels());
        result.put("steps", steps.steps);
        result.put("seconds", steps.steps.stream().mapToDouble(s -> (double) s.get("seconds")).sum());
        result.put("live_heap_bytes", liveHeap() - baseline);
        result.put("peak_live_heap_bytes", PEAK_AFTER_GC.get() - baseline);
        result.put("peak_heap_bytes", Math.max(PEAK_BEFORE_GC.get(), PEAK_AFTER_GC.get()) - baseline);
        result.put("peak_rss_bytes", Machine.statusKib("VmHWM") * 1024);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        System.out.printf("  %,d rows x %d features; peak live heap %,.1f MB, peak RSS %,.1f MB%n", rows,
                features, (PEAK_AFTER_GC.get() - baseline) / 1048576.0, Machine.statusKib("VmHWM") / 1024.0);
        // Reachable up to here, so that the last live-heap figure still counts everything the contender made.
        Reference.reachabilityFence(keep);
    }

    /** /proc/loadavg's first three fields (1, 5 and 15 minutes), or "unknown". */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Order-free sums of what a contender read, so the report can check that every contender read the same numbers
     * (hpsearch's rows come back split into training and test parts, in another order).
     */
    record Sums(double features, long labels) {
        static Sums of(Examples examples) {
            double f = 0;
            for (float v : examples.features()) {
                f += v;
            }
            long l = 0;
            for (int label : examples.labels()) {
                l += label;
            }
            return new Sums(f, l);
        }

        Sums plus(Sums other) {
            return new Sums(features + other.features, labels + other.labels);
        }
    }

    /** As a space's {@code dataset: {type: csv, train: FILE, label: label}} gives it: header, commas, no imputing. */
    private static DataSpec.Csv spec(Path file) {
        return new DataSpec.Csv(file, Optional.empty(), LABEL, true, ',', List.of(), DataSpec.DEFAULT_TEST_SPLIT,
                false);
    }

    /**
     * The baseline a user would write: count the lines, allocate the arrays once, then {@code readLine},
     * {@code split} and {@code Float.parseFloat} each cell. No checks beyond what parsing does.
     */
    static Examples readPlain(Path file) throws IOException {
        int rows = dataLines(file);
        try (BufferedReader in = Files.newBufferedReader(file)) {
            int width = in.readLine().split(",", -1).length - 1;
            float[] x = new float[rows * width];
            int[] y = new int[rows];
            String line;
            for (int r = 0; (line = in.readLine()) != null; r++) {
                String[] cells = line.split(",", -1);
                for (int c = 0; c < width; c++) {
                    x[r * width + c] = Float.parseFloat(cells[c]);
                }
                y[r] = Integer.parseInt(cells[width]);
            }
            return new Examples(x, y, width);
        }
    }

    /** DataVec's CSV reader, skipping the header, into the same arrays; each row comes as a list of Writables. */
    static Examples readDataVec(Path file) throws IOException, InterruptedException {
        int rows = dataLines(file);
        try (CSVRecordReader reader = new CSVRecordReader(1, ',')) {
            reader.initialize(new FileSplit(file.toFile()));
            float[] x = null;
            int[] y = new int[rows];
            int width = 0;
            for (int r = 0; reader.hasNext(); r++) {
                List<Writable> cells = reader.next();
                if (x == null) {
                    width = cells.size() - 1;
                    x = new float[rows * width];
                }
                for (int c = 0; c < width; c++) {
                    x[r * width + c] = cells.get(c).toFloat();
                }
                y[r] = cells.get(width).toInt();
            }
            return new Examples(x, y, width);
        }
    }

    /** Lines after the header: both baselines size their arrays once, as hpsearch's first pass lets it. */
    private static int dataLines(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            int lines = 0;
            while (in.readLine() != null) {
                lines++;
            }
            return lines - 1;
        }
    }
}
