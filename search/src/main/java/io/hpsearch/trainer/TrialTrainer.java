package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import io.hpsearch.data.Permutations;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/** Trains one trial's network: seeded initialisation and shuffling, metrics after every epoch. */
public final class TrialTrainer {
    /** Inference batch: large, since per-call overhead dominates small dense networks. */
    private static final int EVAL_BATCH = 4096;

    private final Examples train;
    private final Examples validation;
    private final int classes;

    public TrialTrainer(Examples train, Examples validation, int classes) {
        this.train = train;
        this.validation = validation;
        this.classes = classes;
    }

    /** Examples in one training epoch. */
    public int trainingExamples() {
        return train.size();
    }

    public record Result(MultiLayerNetwork network, List<EpochMetrics> epochs) {
        public EpochMetrics last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    /**
     * @throws TrialFailedException when the loss stops being finite or DL4J fails
     * @throws CancellationException when {@code cancelled} turns true (checked between minibatches)
     */
    public Result train(TrialParams params, long seed, int epochs, int batchSize, TrainingListener listener,
                        BooleanSupplier cancelled) {
        MultiLayerNetwork network = new MultiLayerNetwork(
                NetworkFactory.mlp(params, seed, train.featureCount(), classes));
        network.init();
        int n = train.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random shuffle = new Random(seed);
        int batches = (n + batchSize - 1) / batchSize;
        List<EpochMetrics> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            Permutations.shuffle(order, shuffle);
            double lossSum = 0;
            for (int b = 0; b < batches; b++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("cancelled in epoch " + epoch);
                }
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                DataSet batch = Batches.gather(train, order, from, to, classes);
                double loss;
                try {
                    network.fit(batch);
                    loss = network.score();
                } catch (RuntimeException e) {
                    throw new TrialFailedException("DL4J failed in epoch " + epoch + ": " + e, epoch, e);
                }
                if (!Double.isFinite(loss)) {
                    throw new TrialFailedException("training loss became " + loss + " in epoch " + epoch
                            + ", minibatch " + (b + 1) + " (learning rate too high?)", epoch, null);
                }
                lossSum += loss * (to - from);
                listener.batchEnded(epoch, b + 1, batches);
            }
            double[] val = lossAndAccuracy(network, validation);
            if (!Double.isFinite(val[0])) {
                throw new TrialFailedException("validation loss became " + val[0] + " in epoch " + epoch
                        + " (learning rate too high?)", epoch, null);
            }
            EpochMetrics metrics = new EpochMetrics(epoch, lossSum / n, val[0], val[1],
                    (System.nanoTime() - start) / 1e9);
            history.add(metrics);
            listener.epochEnded(metrics);
        }
        return new Result(network, history);
    }

    /** Mean cross-entropy and accuracy of the network on a set, in inference mode (no dropout). */
    public double[] lossAndAccuracy(MultiLayerNetwork network, Examples set) {
        double loss = 0;
        long correct = 0;
        for (int from = 0; from < set.size(); from += EVAL_BATCH) {
            int to = Math.min(set.size(), from + EVAL_BATCH);
            INDArray out = network.output(Batches.features(set, from, to), false);
            float[] probs = out.data().asFloat();
            for (int i = 0; i < to - from; i++) {
                int label = set.labels()[from + i];
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (probs[i * classes + c] > probs[i * classes + best]) {
                        best = c;
                    }
                }
                if (best == label) {
                    correct++;
                }
                loss -= Math.log(Math.max(probs[i * classes + label], 1e-7));
            }
        }
        return new double[]{loss / set.size(), (double) correct / set.size()};
    }
}
