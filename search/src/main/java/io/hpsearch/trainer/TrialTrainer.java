package io.hpsearch.trainer;

import io.hpsearch.data.Examples;
import io.hpsearch.data.InputShape;
import io.hpsearch.data.Permutations;
import io.hpsearch.space.TrainingSpec;
import io.hpsearch.store.EpochMetrics;
import io.hpsearch.trial.TrialParams;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/** Trains one trial's network: seeded initialisation and shuffling, metrics after every epoch. */
public final class TrialTrainer {
    /** Inference batch: large, since per-call overhead dominates small dense networks. */
    private static final int DENSE_EVAL_BATCH = 4096;
    /** Convolutions hold an activation map per filter and example: 256 keeps that near 50 MB. */
    private static final int CONV_EVAL_BATCH = 256;

    private final Examples train;
    private final Examples validation;
    private final int classes;
    private final InputShape shape;

    /** Examples already encoded for the network: {@code shape.features()} values per row. */
    public TrialTrainer(Examples train, Examples validation, InputShape shape, int classes) {
        if (train.featureCount() != shape.features() || validation.featureCount() != shape.features()) {
            throw new IllegalArgumentException("examples of " + train.featureCount() + " / "
                    + validation.featureCount() + " values do not have the shape " + shape.describe());
        }
        this.train = train;
        this.validation = validation;
        this.classes = classes;
        this.shape = shape;
    }

    /** Examples in one training epoch. */
    public int trainingExamples() {
        return train.size();
    }

    /**
     * A trained network and its epochs.
     *
     * @param network   with the weights of {@code bestEpoch}
     * @param bestEpoch the epoch whose weights and score the trial keeps: the last one, or with early stopping the
     *                  best one by its metric
     */
    public record Result(Net network, List<EpochMetrics> epochs, int bestEpoch) {
        public EpochMetrics best() {
            return epochs.get(bestEpoch - 1);
        }

        /** The epoch training stopped after (fewer than planned when early stopping ended it). */
        public int stoppedEpoch() {
            return epochs.size();
        }
    }

    /**
     * Trains one network: seeded initialisation, shuffling and augmentation; early stopping when the training spec
     * has it.
     *
     * @throws TrialFailedException when the loss stops being finite or DL4J fails
     * @throws CancellationException when {@code cancelled} turns true (checked between minibatches)
     */
    public Result train(TrialParams params, long seed, TrainingSpec training, TrainingListener listener,
                        BooleanSupplier cancelled) {
        return train(params, seed, training, listener, cancelled, List.of());
    }

    /**
     * As {@link #train(TrialParams, long, TrainingSpec, TrainingListener, BooleanSupplier)}, also asking
     * {@code rules} after every epoch, after early stopping: a pruner's rule, say.
     *
     * @throws TrialPrunedException when a rule prunes the trial (its network is closed)
     */
    public Result train(TrialParams params, long seed, TrainingSpec training, TrainingListener listener,
                        BooleanSupplier cancelled, List<EpochRule> rules) {
        return train(params, seed, training, listener, cancelled, rules, Optional.empty());
    }

    /**
     * As {@link #train(TrialParams, long, TrainingSpec, TrainingListener, BooleanSupplier, List)}, continuing after
     * the epoch a checkpoint was taken after ({@link TrainingListener#continuing} gave its bytes) when
     * {@code checkpoint} has one. The rules had let the trial go on after that epoch, so they are next asked after
     * the following one.
     *
     * @throws CheckpointException when the checkpoint cannot continue this trial (nothing is trained)
     */
    public Result train(TrialParams params, long seed, TrainingSpec training, TrainingListener listener,
                        BooleanSupplier cancelled, List<EpochRule> rules, Optional<byte[]> checkpoint) {
        Net network = NetworkFactory.network(params, seed, shape, classes);
        // Its native memory (weights, gradients, updater state, workspaces) goes back at once when training
        // fails, rather than whenever the garbage collector finds the wrapper.
        try {
            int n = train.size();
            int batchSize = params.integer("batch_size", training.batchSize());
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            int batches = (n + batchSize - 1) / batchSize;
            LearningRates.schedule(params, training.epochs() * batches).ifPresent(network::setLearningRate);
            // A checkpoint of another network is refused even when its weights have the same count.
            int networkHash = TrainingState.identify(network);
            Random random = new Random(seed);
            Optional<EarlyStoppingRule> early = training.earlyStopping().map(EarlyStoppingRule::new);
            List<EpochRule> allRules = new ArrayList<>();
            early.ifPresent(allRules::add);
            allRules.addAll(rules);
            List<EpochMetrics> history = new ArrayList<>();
            int bestEpoch = 0;
            INDArray bestWeights = null;
            int first = 1;
            EpochRule.Decision decision = EpochRule.Decision.CONTINUE;
            if (checkpoint.isPresent()) {
                TrainingState state = restore(network, TrainingState.read(checkpoint.get()), n, networkHash);
                order = state.order();
                random = state.random();
                history.addAll(state.history());
                bestEpoch = state.bestEpoch();
                bestWeights = state.bestWeights();
                first = state.epoch() + 1;
            }
            Augmenter augmenter = augmenter(training, random);
            for (int epoch = first; epoch <= training.epochs() && decision == EpochRule.Decision.CONTINUE; epoch++) {
                long start = System.nanoTime();
                Permutations.shuffle(order, random);
                double lossSum = 0;
                for (int b = 0; b < batches; b++) {
                    if (cancelled.getAsBoolean()) {
                        throw new CancellationException("cancelled in epoch " + epoch);
                    }
                    int from = b * batchSize;
                    int to = Math.min(n, from + batchSize);
                    DataSet batch = Batches.gather(train, order, from, to, classes, augmenter);
                    double loss;
                    try {
                        network.fit(batch);
                        loss = network.score();
                    } catch (RuntimeException e) {
                        throw new TrialFailedException("DL4J failed in epoch " + epoch + ": " + e, epoch, e);
                    } catch (OutOfMemoryError e) {
                        throw new TrialFailedException("out of memory in epoch " + epoch + " (" + e.getMessage()
                                + "); try a smaller batch_size or network, or fewer --workers", epoch, e);
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
                EpochMetrics metrics = new EpochMetrics(1, epoch, lossSum / n, val[0], val[1],
                        (System.nanoTime() - start) / 1e9);
                history.add(metrics);
                int best = early.map(rule -> rule.bestEpoch(history)).orElse(epoch);
                if (early.isPresent() && best == epoch) {
                    // The copy it replaces is freed now: dropped arrays wait for a collection, which may be far off.
                    Net.release(bestWeights);
                    bestWeights = network.params().dup();
                }
                bestEpoch = best;
                listener.epochEnded(metrics);
                decision = decide(allRules, history);
                if (decision == EpochRule.Decision.PRUNE) {
                    throw new TrialPrunedException(history);
                }
                if (decision == EpochRule.Decision.CONTINUE && epoch < training.epochs()) {
                    // What a checkpoint after this epoch holds, copied only if the listener asks for it.
                    TrainingState after = new TrainingState(epoch, bestEpoch, List.copyOf(history),
                            network.iterations(), network.params(), network.updaterState(), bestWeights, order,
                            random, networkHash);
                    listener.continuing(metrics, after::bytes);
                }
            }
            if (bestWeights != null) {
                network.setParams(bestWeights);
                Net.release(bestWeights);
            }
            return new Result(network, history, bestEpoch);
        } catch (RuntimeException | Error e) {
            network.close();
            throw e;
        }
    }

    private Augmenter augmenter(TrainingSpec training, Random random) {
        return training.augment().map(a -> new Augmenter(a, shape, random)).orElse(null);
    }

    /** The first rule's decision that is not to go on; early stopping is asked first. */
    private static EpochRule.Decision decide(List<EpochRule> rules, List<EpochMetrics> history) {
        EpochRule.Decision decision = EpochRule.Decision.CONTINUE;
        for (int r = 0; r < rules.size() && decision == EpochRule.Decision.CONTINUE; r++) {
            decision = rules.get(r).decide(history);
        }
        return decision;
    }

    /**
     * Puts a checkpoint's weights, optimiser state and schedule step into a network built afresh from the same
     * parameters.
     *
     * @throws CheckpointException when the checkpoint is of another network or data set (its arrays are freed)
     */
    private static TrainingState restore(Net network, TrainingState state, int examples, int networkHash) {
        try {
            return restoreChecked(network, state, examples, networkHash);
        } catch (CheckpointException e) {
            Net.release(state.params());
            Net.release(state.updater());
            Net.release(state.bestWeights());
            throw e;
        }
    }

    private static TrainingState restoreChecked(Net network, TrainingState state, int examples, int networkHash) {
        if (state.network() != null && state.network() != networkHash) {
            throw new CheckpointException("it is of another network (this hpsearch builds the trial's parameters "
                    + "into a different one)");
        }
        if (state.params().length() != network.numParams()) {
            throw new CheckpointException("it holds " + state.params().length() + " weights, the trial's network "
                    + network.numParams());
        }
        INDArray updater = network.updaterState();
        long updaterLength = updater == null ? 0 : updater.length();
        long storedLength = state.updater() == null ? 0 : state.updater().length();
        if (storedLength != updaterLength) {
            throw new CheckpointException("its optimiser state has " + storedLength + " values, the trial's "
                    + "optimiser " + updaterLength);
        }
        if (state.order().length != examples) {
            throw new CheckpointException("it was trained on " + state.order().length + " examples, the data has "
                    + examples);
        }
        network.setParams(state.params());
        Net.release(state.params());
        if (updater != null) {
            updater.assign(state.updater().reshape(updater.shape()));
            Net.release(state.updater());
        }
        network.setIterations(state.iterations());
        return state;
    }

    /** Mean cross-entropy and accuracy of the network on a set, in inference mode (no dropout). */
    public double[] lossAndAccuracy(Net network, Examples set) {
        double loss = 0;
        long correct = 0;
        int step = evalBatch(network);
        for (int from = 0; from < set.size(); from += step) {
            int to = Math.min(set.size(), from + step);
            INDArray out = network.output(Batches.features(set, from, to));
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

    /** Examples per inference call for this network. */
    static int evalBatch(Net network) {
        return network.convolutional() ? CONV_EVAL_BATCH : DENSE_EVAL_BATCH;
    }
}
