package io.hpsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.data.Examples;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.trainer.NetworkFactory;
import io.hpsearch.trainer.OneDnn;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The reference CNN's two convolution paths side by side in one process, on one ND4J thread: DL4J's own (im2col and
 * a gemm per layer) and the conv2d op that hpsearch attaches ({@link OneDnn}), which is also measured with one ND4J
 * thread per core. Minibatches of 128 real training images; also how far apart the two paths' gradients are.
 * Which natives are loaded is the caller's choice (JavaCPP's platform extension), so bench/conv/run.sh runs this
 * once per build of the natives.
 *
 * <p>Usage: {@code ConvBench DATA_DIR CNN_SPACE_YAML TRAINING_BATCHES OUT_JSON}
 */
public final class ConvBench {
    private static final int BATCH = 128;
    private static final int INFERENCE_BATCH = 256;
    private static final int INFERENCE_CALLS = 4;

    private ConvBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: ConvBench DATA_DIR CNN_SPACE_YAML TRAINING_BATCHES OUT_JSON");
            System.exit(2);
        }
        OneDnn.selectNatives();
        Examples train = FashionMnist.load(Path.of(args[0])).train();
        TrialParams cnn = Samplers.forSpace(SpaceParser.parse(Path.of(args[1]))).next(List.of()).orElseThrow();
        int batches = Integer.parseInt(args[2]);
        // One more than measured: the first warms up.
        List<DataSet> minibatches = Workload.batches(train.rows(IntStream.range(0, (batches + 1) * BATCH).toArray()),
                BATCH);
        INDArray inference = Workload.batches(train.rows(IntStream.range(0, INFERENCE_BATCH).toArray()),
                INFERENCE_BATCH).get(0).getFeatures();
        int cores = Runtime.getRuntime().availableProcessors();

        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", Machine.cpuModel());
        out.put("cores", cores);
        out.put("java", System.getProperty("java.version"));
        out.put("natives", build.contains("HAVE_ONEDNN") ? "oneDNN (-onednn)" : "plain");
        out.put("space", "spaces/" + Path.of(args[1]).getFileName());
        out.put("training_batches", batches);
        out.put("batch_size", BATCH);
        List<Map<String, Object>> paths = new ArrayList<>();
        List<Setting> settings = new ArrayList<>(List.of(new Setting(false, 1), new Setting(true, 1)));
        if (cores > 1) {
            settings.add(new Setting(true, cores));
        }
        for (Setting setting : settings) {
            paths.add(OnThread.call(setting.threads(), () -> measure(cnn, setting, minibatches, inference)));
            log("%s", paths.get(paths.size() - 1));
        }
        out.put("paths", paths);
        out.put("training_speedup", (double) paths.get(1).get("training_images_per_second")
                / (double) paths.get(0).get("training_images_per_second"));
        out.put("inference_speedup", (double) paths.get(1).get("inference_images_per_second")
                / (double) paths.get(0).get("inference_images_per_second"));
        out.put("gradient_relative_difference", OnThread.call(1, () -> gradientDifference(cnn, minibatches.get(0))));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[3]).toFile(), out);
        log("wrote %s", args[3]);
    }

    /** A convolution path (the helper or DL4J's own) and ND4J's thread count. */
    private record Setting(boolean helper, int threads) {
    }

    private static Map<String, Object> measure(TrialParams cnn, Setting setting, List<DataSet> minibatches,
                                               INDArray inference) {
        MultiLayerNetwork network = network(cnn, setting.helper());
        // The first minibatch warms up the JIT, the allocator and the workspaces.
        network.fit(minibatches.get(0));
        network.output(inference, false);
        long start = System.nanoTime();
        for (DataSet batch : minibatches.subList(1, minibatches.size())) {
            network.fit(batch);
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        for (int i = 0; i < INFERENCE_CALLS; i++) {
            network.output(inference, false);
        }
        double inferSeconds = (System.nanoTime() - start) / 1e9;
        network.close();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("path", setting.helper() ? "conv2d op (hpsearch)" : "DL4J im2col + gemm");
        row.put("nd4j_threads", setting.threads());
        row.put("training_images_per_second", (minibatches.size() - 1) * BATCH / trainSeconds);
        row.put("inference_images_per_second", INFERENCE_CALLS * INFERENCE_BATCH / inferSeconds);
        return row;
    }

    /**
     * How far apart the two paths' gradients are on one minibatch: the norm of the difference over the norm of DL4J's
     * gradient. Not zero: float sums in another order, and where that moves a ReLU input across zero or breaks a
     * max-pooling tie (black background pixels make many) a different weight gets the gradient.
     */
    private static double gradientDifference(TrialParams cnn, DataSet batch) {
        INDArray[] gradients = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            MultiLayerNetwork network = network(cnn, i == 1);
            Nd4j.getRandom().setSeed(11);
            network.setInput(batch.getFeatures());
            network.setLabels(batch.getLabels());
            network.computeGradientAndScore();
            gradients[i] = network.gradient().gradient().dup();
            network.close();
        }
        return gradients[0].sub(gradients[1]).norm2Number().doubleValue() / gradients[0].norm2Number().doubleValue();
    }

    private static MultiLayerNetwork network(TrialParams cnn, boolean helper) {
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.build(cnn, 7, Workload.FASHION, 10));
        network.init();
        return helper ? OneDnn.attach(network) : network;
    }

    private static void log(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
