package io.hpsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.data.Examples;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.trainer.Net;
import io.hpsearch.trainer.NativeThreads;
import io.hpsearch.trainer.NetworkFactory;
import io.hpsearch.trainer.OneDnn;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Batch normalisation's two paths side by side in one process, on one ND4J thread, through the same fast
 * convolutions: DL4J's own (no helper: ND4J's Variance op, statistics computed again in the backward pass) and the
 * {@code FastBatchNorm} helper hpsearch attaches. Networks: the given spaces' first networks and the augmented
 * search's widest (64 and 64 filters, batch norm on the input, the first block and the dense layer). The two paths
 * take turns, a round of minibatches each, so that a busy machine slows both alike; an epoch is 48,000 training
 * images plus 12,000 validation images in inference mode.
 *
 * <p>Usage: {@code BatchNormBench DATA_DIR OUT_JSON TRAINING_BATCHES ROUNDS SPACE_YAML...}
 */
public final class BatchNormBench {
    private static final int BATCH = 128;
    private static final int TRAIN = 48_000;
    private static final int VALIDATION = 12_000;
    /** The augmented search's (spaces/fashion-cnn-augmented-search.yaml) best network so far, trial 1. */
    private static final String WIDEST = """
            name: augmented-widest
            dataset: fashion-mnist
            search: grid
            model:
              type: cnn
              input_batch_norm: true
              conv_blocks: 2
              convs_per_block: 2
              kernel: 3
              filters: {per_layer: [64, 64]}
              conv_batch_norm: {per_layer: [true, false]}
              conv_dropout: 0.1
              dense_layers: 1
              units: 256
              dropout: 0.1
              batch_norm: true
              optimizer: adam
              learning_rate: 0.0027
            """;

    private BatchNormBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: BatchNormBench DATA_DIR OUT_JSON TRAINING_BATCHES ROUNDS SPACE_YAML...");
            System.exit(2);
        }
        OneDnn.selectNatives();
        NativeThreads.configure(1);
        Examples train = FashionMnist.load(Path.of(args[0])).train();
        int batches = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        List<DataSet> minibatches = Workload.batches(train.rows(IntStream.range(0, (batches + 1) * BATCH).toArray()),
                BATCH);
        INDArray inference = Workload.batches(train.rows(IntStream.range(0, 500).toArray()), 500).get(0)
                .getFeatures();
        Map<String, TrialParams> networks = new LinkedHashMap<>();
        networks.put("augmented search, widest (64/64 filters)", first(SpaceParser.parse(WIDEST, "widest.yaml")));
        for (int a = 4; a < args.length; a++) {
            networks.put("spaces/" + Path.of(args[a]).getFileName(), first(SpaceParser.parse(Path.of(args[a]))));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        out.put("nd4j_threads", 1);
        out.put("training_batches_per_round", batches);
        out.put("rounds", rounds);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, TrialParams> network : networks.entrySet()) {
            try (Net dl4j = NetworkFactory.network(network.getValue(), 7, Workload.FASHION, 10);
                 Net fast = NetworkFactory.network(network.getValue(), 7, Workload.FASHION, 10)) {
                int normalisations = removeBatchNormHelpers(dl4j);
                Net[] paths = {dl4j, fast};
                double[] trainSeconds = new double[2];
                double[] inferSeconds = new double[2];
                for (Net net : paths) { // warm-up
                    net.fit(minibatches.get(0));
                    net.output(inference);
                }
                for (int round = 0; round < rounds; round++) {
                    for (int p = 0; p < 2; p++) {
                        long start = System.nanoTime();
                        for (int b = 1; b <= batches; b++) {
                            paths[p].fit(minibatches.get(b));
                        }
                        trainSeconds[p] += (System.nanoTime() - start) / 1e9;
                        start = System.nanoTime();
                        paths[p].output(inference);
                        inferSeconds[p] += (System.nanoTime() - start) / 1e9;
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("network", network.getKey());
                row.put("batch_norm_layers", normalisations);
                String[] names = {"dl4j", "fast"};
                double[] epoch = new double[2];
                for (int p = 0; p < 2; p++) {
                    double trainPerImage = trainSeconds[p] / ((double) rounds * batches * BATCH);
                    double inferPerImage = inferSeconds[p] / ((double) rounds * 500);
                    epoch[p] = TRAIN * trainPerImage + VALIDATION * inferPerImage;
                    row.put(names[p] + "_train_images_per_s", 1 / trainPerImage);
                    row.put(names[p] + "_inference_images_per_s", 1 / inferPerImage);
                    row.put(names[p] + "_epoch_seconds", epoch[p]);
                }
                row.put("epoch_speedup", epoch[0] / epoch[1]);
                rows.add(row);
                ThroughputBench.log("%s: %d batch norm layers, epoch %.0f s with DL4J's, %.0f s with hpsearch's "
                        + "(%.2fx)", network.getKey(), normalisations, epoch[0], epoch[1], epoch[0] / epoch[1]);
            }
        }
        out.put("networks", rows);
        Path file = Path.of(args[1]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
    }

    private static TrialParams first(io.hpsearch.space.SpaceSpec space) {
        return Samplers.forSpace(space).next(List.of()).orElseThrow();
    }

    /** Puts the network's batch normalisation back on DL4J's own path; returns how many layers it has. */
    private static int removeBatchNormHelpers(Net net) throws ReflectiveOperationException {
        Field helper = BatchNormalization.class.getDeclaredField("helper");
        helper.setAccessible(true);
        int count = 0;
        for (Layer layer : net.layers()) {
            if (layer instanceof BatchNormalization) {
                helper.set(layer, null);
                count++;
            }
        }
        return count;
    }
}
