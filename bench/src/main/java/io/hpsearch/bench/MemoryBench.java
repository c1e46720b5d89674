package io.hpsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.runner.RunListener;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.TrialState;
import io.hpsearch.trainer.OneDnn;
import org.bytedeco.javacpp.Pointer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Memory across trials: peak resident set size of one long random-search run (small data slices, the reference
 * space, one worker per core) after its 10th trial and at its end. A leak per trial shows as growth between the two.
 * Run in a JVM of its own so that nothing else has raised the peak. Adds a "memory" entry to an existing JSON file.
 *
 * <p>Usage: {@code MemoryBench DATA_DIR TRIALS JSON_FILE}
 */
public final class MemoryBench {
    private static final int EARLY = 10;

    private MemoryBench() {
    }

    /**
     * Where memory is after {@code trials} trials: the process's resident set (peak and now), the Java heap in use
     * and ND4J's off-heap bytes. A leak grows the heap or the off-heap figure; the peak can also grow without one, as
     * the heap expands towards its maximum before the collector bothers.
     */
    private static Map<String, Object> sample(int trials) {
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("trials", trials);
        s.put("peak_rss_mib", Machine.statusKib("VmHWM") / 1024.0);
        s.put("rss_mib", Machine.statusKib("VmRSS") / 1024.0);
        s.put("heap_used_mib", (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0);
        s.put("heap_committed_mib", runtime.totalMemory() / 1048576.0);
        s.put("nd4j_off_heap_mib", Pointer.totalBytes() / 1048576.0);
        return s;
    }

    public static void main(String[] args) throws IOException {
        OneDnn.selectNatives();
        if (args.length != 3) {
            System.err.println("usage: MemoryBench DATA_DIR TRIALS JSON_FILE");
            System.exit(2);
        }
        int trials = Integer.parseInt(args[1]);
        int workers = Runtime.getRuntime().availableProcessors();
        String yaml = """
                name: bench-memory
                search: random
                max_trials: %d
                seed: 11
                training: {epochs: 1, batch_size: 128, validation_split: 0.2, train_limit: 50}
                model:
                  type: mlp
                  input_dropout: {min: 0.0, max: 0.3, step: 0.1}
                  hidden_layers: {min: 1, max: 4}
                  units: {choice: [512, 256, 128, 64, 32]}
                  dropout: {min: 0.0, max: 0.4, step: 0.1}
                  optimizer: adam
                  learning_rate: {choice: [0.01, 0.001]}
                """.formatted(trials);
        SpaceSpec spec = SpaceParser.parse(yaml, "bench-memory.yaml");
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("trials", trials);
        memory.put("workers", workers);
        memory.put("space", "reference MLP space, random search, 1 epoch on 500 training examples, 12,000 validation");
        AtomicInteger finished = new AtomicInteger();
        List<Map<String, Object>> samples = Collections.synchronizedList(new ArrayList<>());
        try (ScratchStore scratch = ScratchStore.create("hpsearch-memory")) {
            RunListener probe = new RunListener() {
                @Override
                public void trialFinished(int number, TrialState state, Double score, String reason) {
                    int n = finished.incrementAndGet();
                    if (n == EARLY) {
                        memory.put("peak_rss_mib_after_" + EARLY, Machine.statusKib("VmHWM") / 1024.0);
                    }
                    if (n % EARLY == 0) {
                        samples.add(sample(n));
                    }
                }
            };
            SearchRunner.Outcome outcome = new SearchRunner(scratch.store(), FashionMnist.load(Path.of(args[0])).dataset(),
                    workers, 1, probe).run(spec, yaml);
            if (outcome.status() != RunStatus.COMPLETED) {
                throw new IllegalStateException("run ended " + outcome.status() + ": " + outcome.message());
            }
        }
        memory.put("peak_rss_mib_after_" + trials, Machine.statusKib("VmHWM") / 1024.0);
        double early = (double) memory.get("peak_rss_mib_after_" + EARLY);
        double end = (double) memory.get("peak_rss_mib_after_" + trials);
        memory.put("growth", end / early - 1);
        memory.put("samples", samples);
        ThroughputBench.log("peak RSS after %d trials: %.0f MiB; after %d: %.0f MiB (%+.1f %%)", EARLY, early,
                trials, end, 100 * (end / early - 1));

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        samples.forEach(sample -> ThroughputBench.log("%s", sample));
        File file = new File(args[2]);
        ObjectNode root = (ObjectNode) json.readTree(file);
        root.set("memory", json.valueToTree(memory));
        json.writeValue(file, root);
    }
}
