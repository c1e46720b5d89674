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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        TrialParams cnn = Samplers.forSpace(SpaceParser.parse(Path.of(args[1])), Set.of()).next().orElseThrow();
        int batches = Integer.parseInt(args[2]);
        List<INDArray[]> minibatches = new ArrayList<>();
        for (int b = 0; b < batches + 1; b++) {
            minibatches.add(minibatch(train, b * BATCH, BATCH));
        }
        INDArray inference = minibatch(train, 0, INFERENCE_BATCH)[0];

        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", Machine.cpuModel());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("java", System.getProperty("java.version"));
        out.put("natives", build.contains("HAVE_ONEDNN") ? "oneDNN (-onednn)" : "plain");
        out.put("space", args[1]);
        out.put("training_batches", batches);
        out.put("batch_size", BATCH);
        List<Map<String, Object>> paths = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
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

    private static Map<String, Object> measure(TrialParams cnn, Setting setting, List<INDArray[]> minibatches,
                                               INDArray inference) {
        MultiLayerNetwork network = network(cnn, setting.helper());
        // The first minibatch warms up the JIT, the allocator and the workspaces.
        network.fit(minibatches.get(0)[0], minibatches.get(0)[1]);
        network.output(inference, false);
        long start = System.nanoTime();
        for (INDArray[] batch : minibatches.subList(1, minibatches.size())) {
            network.fit(batch[0], batch[1]);
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
    private static double gradientDifference(TrialParams cnn, INDArray[] batch) {
        INDArray[] gradients = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            MultiLayerNetwork network = network(cnn, i == 1);
            Nd4j.getRandom().setSeed(11);
            network.setInput(batch[0]);
            network.setLabels(batch[1]);
            network.computeGradientAndScore();
            gradients[i] = network.gradient().gradient().dup();
            network.close();
        }
        return gradients[0].sub(gradients[1]).norm2Number().doubleValue() / gradients[0].norm2Number().doubleValue();
    }

    private static MultiLayerNetwork network(TrialParams cnn, boolean helper) {
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.build(cnn, 7, FashionMnist.IMAGE_SIDE, 10));
        network.init();
        return helper ? OneDnn.attach(network) : network;
    }

    /** Features and one-hot labels of {@code n} consecutive training images from {@code from}. */
    private static INDArray[] minibatch(Examples examples, int from, int n) {
        int width = examples.featureCount();
        float[] x = new float[n * width];
        float[] y = new float[n * 10];
        System.arraycopy(examples.features(), from * width, x, 0, x.length);
        for (int i = 0; i < n; i++) {
            y[i * 10 + examples.labels()[from + i]] = 1f;
        }
        return new INDArray[]{Nd4j.create(x, new long[]{n, width}, 'c'), Nd4j.create(y, new long[]{n, 10}, 'c')};
    }

    private static void log(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
