package io.hpsearch.runner;

import io.hpsearch.data.FashionMnist;
import io.hpsearch.data.TrainingData;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The measured choice of workers and threads, with real networks trained on the repository's Fashion-MNIST slice. */
class CalibrationTest {
    private static final SpaceSpec SPACE = SpaceParser.parse("""
            name: calibrate
            search: random
            max_trials: 8
            training: {epochs: 2, batch_size: 64, train_limit: 600}
            model:
              type: mlp
              hidden_layers: {min: 1, max: 2}
              units: {choice: [256, 128]}
              learning_rate: 0.001
            """, "calibrate.yaml");
    private static TrainingData data;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        data = TrainingData.prepare(FashionMnist.load(Path.of("../testdata/fashion-mnist")).dataset(), 0.2, 1, 600);
    }

    private Calibration measuring(Integer workers, Integer threads, int cores, Path cache) {
        return new Calibration(workers, threads, cores, cache, Duration.ofMillis(200), Duration.ZERO);
    }

    private static String splits(List<Parallelism> ps) {
        return String.join(",", ps.stream().map(p -> p.workers() + "x" + p.threads()).toList());
    }

    @Test
    void theSplitsTriedStartWithOneThreadPerWorkerAndHonourWorkers() {
        assertEquals("2x1,1x2", splits(measuring(null, null, 2, null).candidates(2)));
        assertEquals("1x1,1x2", splits(measuring(null, null, 2, null).candidates(1)), "one trial: 1 or 2 threads");
        assertEquals("2x1,2x2,1x4", splits(measuring(null, null, 4, null).candidates(2)));
        assertEquals("4x1,1x4", splits(measuring(null, null, 4, null).candidates(4)));
        assertEquals("1x1,1x2", splits(measuring(1, null, 2, null).candidates(8)), "--workers 1: threads measured");
        assertEquals("1x1", splits(measuring(null, null, 1, null).candidates(8)));
    }

    @Test
    void flagsWinAndAShortRunIsNotMeasured() {
        assertEquals(new Parallelism(3, 2, "as given by --workers and --threads"),
                measuring(3, 2, 2, null).choose(SPACE, data, 8));
        Parallelism threads = measuring(null, 1, 4, null).choose(SPACE, data, 8);
        assertEquals("4 workers x 1 thread", threads.describe());
        Parallelism oneCore = measuring(null, null, 1, null).choose(SPACE, data, 8);
        assertEquals("1 worker x 1 thread", oneCore.describe());
        assertEquals("the only split of 1 core", oneCore.reason());

        Parallelism quick = new Calibration(null, null, 2, dir.resolve("never"), Duration.ofMillis(200),
                Calibration.WORTH_MEASURING).choose(SPACE, data, 8);
        assertEquals("2 workers x 1 thread", quick.describe());
        assertEquals("one thread per worker, as dense layers gain little from a second thread (about 0 s of training "
                + "is not worth measuring)", quick.reason());
        assertFalse(Files.exists(dir.resolve("never")), "nothing measured, nothing cached");

        // Convolutions gain from threads: a short CNN run shares the cores among its workers instead.
        SpaceSpec cnn = SpaceParser.parse("""
                name: cnn
                search: random
                training: {epochs: 1, train_limit: 600}
                model: {type: cnn, conv_blocks: 1, filters: 8, dense_layers: 1, units: 16, learning_rate: 0.001}
                """, "cnn.yaml");
        Calibration unmeasured = new Calibration(null, null, 4, null, Duration.ofMillis(200),
                Calibration.WORTH_MEASURING);
        Parallelism one = unmeasured.choose(cnn, data, 1);
        assertEquals("1 worker x 4 threads", one.describe());
        assertEquals("the cores shared evenly among the workers, as convolutions gain from threads (about 0 s of "
                + "training is not worth measuring)", one.reason());
        assertEquals("2 workers x 2 threads", unmeasured.choose(cnn, data, 2).describe());
        // With a worker on every core there is nothing left to share, and the reason says so.
        Parallelism full = unmeasured.choose(cnn, data, 8);
        assertEquals("4 workers x 1 thread", full.describe());
        assertEquals("one thread per worker, as every core has a worker of its own (about 0 s of training is not "
                + "worth measuring)", full.reason());
    }

    @Test
    void theFastestMeasuredSplitIsChosenCachedAndReadBackForTheSameShape() throws Exception {
        Path cache = dir.resolve("cache/threads.properties");
        Parallelism measured = measuring(null, null, 2, cache).choose(SPACE, data, 8);
        assertTrue(List.of("2 workers x 1 thread", "1 worker x 2 threads").contains(measured.describe()),
                measured.toString());
        assertTrue(measured.reason().matches("(fastest )?measured here: 2x1 [0-9,]+, 1x2 [0-9,]+ examples/s; kept in .*"),
                measured.reason());
        Properties kept = new Properties();
        try (var r = Files.newBufferedReader(cache)) {
            kept.load(r);
        }
        assertEquals(1, kept.size(), kept.toString());
        String key = kept.stringPropertyNames().iterator().next();
        assertTrue(key.contains("|2 cores|") && key.contains("|mlp|") && key.contains("|batch 64|"), key);
        // Measured with today's training paths: an older hpsearch's rates are not reused.
        assertTrue(key.contains("|" + Calibration.TRAINING_PATHS + "|"), key);
        assertTrue(kept.getProperty(key).startsWith(measured.workers() + "x" + measured.threads() + " "),
                kept.getProperty(key));

        Parallelism again = measuring(null, null, 2, cache).choose(SPACE, data, 8);
        assertEquals(measured.describe(), again.describe());
        assertTrue(again.reason().startsWith("measured on this machine before ("), again.reason());

        // Another machine's answer (other core count) is not this one's: measured anew, both kept.
        measuring(null, null, 4, cache).choose(SPACE, data, 8);
        kept.clear();
        try (var r = Files.newBufferedReader(cache)) {
            kept.load(r);
        }
        assertEquals(2, kept.size(), kept.toString());
    }

    @Test
    void withinFivePerCentOfTheFastestTheSplitWithMoreWorkersIsChosen() {
        Parallelism twoByOne = new Parallelism(2, 1, "candidate");
        Parallelism oneByTwo = new Parallelism(1, 2, "candidate");
        assertEquals(twoByOne, Calibration.pick(rates(twoByOne, 132, oneByTwo, 134)), "the 3-hour CNN search's");
        assertEquals(twoByOne, Calibration.pick(rates(twoByOne, 95.5, oneByTwo, 100)));
        assertEquals(oneByTwo, Calibration.pick(rates(twoByOne, 94, oneByTwo, 100)), "more than 5 % slower");
        assertEquals(twoByOne, Calibration.pick(rates(twoByOne, 100, oneByTwo, 99)));
        Parallelism twoByTwo = new Parallelism(2, 2, "candidate");
        Parallelism oneByFour = new Parallelism(1, 4, "candidate");
        assertEquals(twoByTwo, Calibration.pick(Map.of(new Parallelism(4, 1, "candidate"), 80.0, twoByTwo, 98.0,
                oneByFour, 100.0)), "4x1 is too slow; of the others, more workers");
    }

    @Test
    void aCachedMeasurementIsWeighedAgainUnderTheRuleOfTheDay() throws Exception {
        Path cache = dir.resolve("threads.properties");
        measuring(null, null, 2, cache).choose(SPACE, data, 8);
        Properties kept = new Properties();
        try (var r = Files.newBufferedReader(cache)) {
            kept.load(r);
        }
        String key = kept.stringPropertyNames().iterator().next();
        // As the rule before this one wrote it: the fastest, however close the other.
        kept.setProperty(key, "1x2 2x1 1,320, 1x2 1,340 examples/s, 2026-12-02");
        try (var w = Files.newBufferedWriter(cache)) {
            kept.store(w, null);
        }
        Parallelism chosen = measuring(null, null, 2, cache).choose(SPACE, data, 8);
        assertEquals("2 workers x 1 thread", chosen.describe(), chosen.reason());
        assertTrue(chosen.reason().startsWith("measured on this machine before (2x1 1,320, 1x2 1,340 examples/s")
                && chosen.reason().endsWith("2x1 is within 5 % of the fastest and trains more trials side by side"),
                chosen.reason());

        kept.setProperty(key, "1x2 2x1 1,000, 1x2 1,340 examples/s, 2026-12-02");
        try (var w = Files.newBufferedWriter(cache)) {
            kept.store(w, null);
        }
        assertEquals("1 worker x 2 threads", measuring(null, null, 2, cache).choose(SPACE, data, 8).describe());
    }

    private static Map<Parallelism, Double> rates(Parallelism a, double rateA, Parallelism b, double rateB) {
        Map<Parallelism, Double> out = new LinkedHashMap<>();
        out.put(a, rateA);
        out.put(b, rateB);
        return out;
    }

    @Test
    void aCacheThatCannotBeReadOrWrittenCostsOnlyAMeasurement() throws Exception {
        Path junk = dir.resolve("threads.properties");
        Files.write(junk, new byte[]{'\\', 'u', 'z', 'z', '\n', 0, -1});
        Parallelism p = measuring(null, null, 2, junk).choose(SPACE, data, 8);
        assertTrue(p.reason().matches("(fastest )?measured here: .*"), p.reason());

        Path blocked = dir.resolve("a-file");
        Files.writeString(blocked, "not a folder");
        Parallelism unsaved = measuring(null, null, 2, blocked.resolve("threads.properties")).choose(SPACE, data, 8);
        assertTrue(unsaved.reason().matches("(fastest )?measured here: .*") && !unsaved.reason().contains("kept in"),
                unsaved.reason());
    }
}
