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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Seconds per training epoch of the reference networks side by side in one process, on real Fashion-MNIST
 * minibatches of 128 through the same fast convolution path: the plain reference CNN and the reference residual
 * network, each on 1 ND4J thread and on every core. An epoch is 48,000 training images plus 12,000 validation
 * images in inference mode.
 *
 * <p>Usage: {@code ResNetBench DATA_DIR OUT_JSON TRAINING_BATCHES SPACE_YAML...}
 */
public final class ResNetBench {
    private static final int BATCH = 128;
    private static final int TRAIN = 48_000;
    private static final int VALIDATION = 12_000;

    private ResNetBench() {
    }

    public static void main(String[] args) throws Exception {
        OneDnn.selectNatives();
        Examples train = FashionMnist.load(Path.of(args[0])).train();
        int batches = Integer.parseInt(args[2]);
        List<DataSet> minibatches = Workload.batches(train.rows(IntStream.range(0, (batches + 1) * BATCH).toArray()),
                BATCH);
        INDArray inference = Workload.batches(train.rows(IntStream.range(0, 500).toArray()), 500).get(0)
                .getFeatures();
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Machine.cpuModel() + ", " + cores + " cores");
        out.put("training_batches", batches);
        for (int a = 3; a < args.length; a++) {
            TrialParams params = Samplers.forSpace(SpaceParser.parse(Path.of(args[a]))).next(List.of()).orElseThrow();
            Map<String, Object> network = new LinkedHashMap<>();
            for (int threads : new int[]{1, cores}) {
                NativeThreads.configure(threads);
                try (Net net = NetworkFactory.network(params, 7, Workload.FASHION, 10)) {
                    network.put("params", net.numParams());
                    net.fit(minibatches.get(0)); // warm-up
                    long start = System.nanoTime();
                    for (int b = 1; b <= batches; b++) {
                        net.fit(minibatches.get(b));
                    }
                    double trainPerImage = (System.nanoTime() - start) / 1e9 / (batches * BATCH);
                    net.output(inference);
                    start = System.nanoTime();
                    for (int i = 0; i < 4; i++) {
                        net.output(inference);
                    }
                    double inferPerImage = (System.nanoTime() - start) / 1e9 / (4 * 500);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("train_images_per_s", 1 / trainPerImage);
                    m.put("inference_images_per_s", 1 / inferPerImage);
                    m.put("epoch_seconds", TRAIN * trainPerImage + VALIDATION * inferPerImage);
                    network.put(threads + "_thread" + (threads > 1 ? "s" : ""), m);
                    ThroughputBench.log("%s on %d thread(s): %.0f training images/s, epoch %.0f s",
                            Path.of(args[a]).getFileName(), threads, 1 / trainPerImage, m.get("epoch_seconds"));
                }
            }
            out.put(Path.of(args[a]).getFileName().toString(), network);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(Path.of(args[1]).toAbsolutePath().getParent());
        json.writeValue(Path.of(args[1]).toFile(), out);
        System.out.println(json.writeValueAsString(out));
    }
}
