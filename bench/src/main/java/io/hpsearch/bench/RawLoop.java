package io.hpsearch.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * The limit: a plain DL4J loop, no hpsearch. Minibatches made once; each epoch fits them in order and evaluates the
 * validation set, as a trial does.
 */
final class RawLoop {
    private RawLoop() {
    }

    record Timing(String network, double seconds, double validationAccuracy) {
    }

    /** Trains on a thread of its own with {@code threads} ND4J threads (see {@link OnThread}). */
    static Timing train(Workload.Network network, List<DataSet> train, List<DataSet> validation, int epochs,
                        int threads) {
        return OnThread.call(threads, () -> train(network, train, validation, epochs));
    }

    private static Timing train(Workload.Network network, List<DataSet> train, List<DataSet> validation, int epochs) {
        long start = System.nanoTime();
        MultiLayerNetwork net = new MultiLayerNetwork(network.conf());
        net.init();
        double accuracy = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (DataSet batch : train) {
                net.fit(batch);
            }
            Evaluation evaluation = new Evaluation();
            for (DataSet batch : validation) {
                evaluation.eval(batch.getLabels(), net.output(batch.getFeatures(), false));
            }
            accuracy = evaluation.accuracy();
        }
        return new Timing(network.label(), (System.nanoTime() - start) / 1e9, accuracy);
    }
}
