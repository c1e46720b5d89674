package io.hpsearch.bench;

import io.hpsearch.data.Examples;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.data.Split;
import io.hpsearch.sampler.Samplers;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trainer.NetworkCost;
import io.hpsearch.trainer.NetworkFactory;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What every contender trains: the networks of one grid space (drawn by hpsearch's own sampler, so all contenders
 * get identical configurations), on the same split of the same data, for the same epochs.
 */
final class Workload {
    final Path spaceFile;
    final String yaml;
    final SpaceSpec spec;
    final FashionMnist data;
    final Split split;
    final List<Network> networks;

    /** One network of the grid: its parameters, DL4J configuration and multiply-adds per example (forward). */
    record Network(TrialParams params, MultiLayerConfiguration conf, long macs) {
        String label() {
            return params.asMap().toString();
        }

        /** Floating-point operations per training example: forward 2, backward 4 per multiply-add. */
        double trainFlops() {
            return 6.0 * macs;
        }

        double inferenceFlops() {
            return 2.0 * macs;
        }
    }

    /** Fashion-MNIST's images, the only data the throughput benchmark trains on. */
    static final io.hpsearch.data.InputShape FASHION = io.hpsearch.data.InputShape.image(1, FashionMnist.IMAGE_SIDE,
            FashionMnist.IMAGE_SIDE);

    Workload(Path spaceFile, FashionMnist data) throws IOException {
        this.spaceFile = spaceFile;
        this.yaml = Files.readString(spaceFile);
        this.spec = SpaceParser.parse(spaceFile);
        this.data = data;
        this.split = Split.stratified(data.train(), spec.training().validationSplit(), spec.seed(),
                spec.training().trainLimit());
        List<Network> list = new ArrayList<>();
        for (TrialParams p : Samplers.forSpace(spec).take(spec.maxTrials())) {
            MultiLayerConfiguration conf = NetworkFactory.build(p, spec.seed(), FASHION,
                    FashionMnist.CLASS_NAMES.size());
            list.add(new Network(p, conf, NetworkCost.forwardMacs(p, FASHION, FashionMnist.CLASS_NAMES.size())));
        }
        this.networks = List.copyOf(list);
    }

    int epochs() {
        return spec.training().epochs();
    }

    int batchSize() {
        return spec.training().batchSize();
    }

    /** Training examples of the whole workload: every network, every epoch. */
    long trainingExamples() {
        return (long) networks.size() * epochs() * split.train().size();
    }

    /** Floating-point operations of training one network: every epoch plus its validation pass. */
    double flops(Network n) {
        return epochs() * (n.trainFlops() * split.train().size() + n.inferenceFlops() * split.validation().size());
    }

    /** Floating-point operations of the whole workload. */
    double flops() {
        return networks.stream().mapToDouble(this::flops).sum();
    }

    /** The training set cut once into minibatches, in order: what a plain DL4J loop would feed. */
    List<DataSet> trainBatches() {
        return batches(split.train(), batchSize());
    }

    List<DataSet> validationBatches(int size) {
        return batches(split.validation(), size);
    }

    /** Consecutive rows as minibatches of {@code size} (the last may be smaller), with one-hot labels. */
    static List<DataSet> batches(Examples examples, int size) {
        float[] features = examples.features();
        int[] labels = examples.labels();
        int width = features.length / labels.length;
        int classes = FashionMnist.CLASS_NAMES.size();
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < labels.length; from += size) {
            int n = Math.min(size, labels.length - from);
            float[] x = new float[n * width];
            float[] y = new float[n * classes];
            System.arraycopy(features, from * width, x, 0, x.length);
            for (int i = 0; i < n; i++) {
                y[i * classes + labels[from + i]] = 1f;
            }
            out.add(new DataSet(Nd4j.create(x, new long[]{n, width}, 'c'), Nd4j.create(y, new long[]{n, classes}, 'c')));
        }
        return out;
    }
}
