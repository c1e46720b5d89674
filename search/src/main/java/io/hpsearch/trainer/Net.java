package io.hpsearch.trainer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * A trained or training network, whichever DL4J type holds it: a {@link MultiLayerNetwork} (a stack: MLPs, plain
 * CNNs) or a {@link ComputationGraph} (residual networks, whose shortcuts a stack cannot express). The one place
 * that tells them apart, so that the trainer, the test evaluation, the model file and prediction take either.
 */
public final class Net implements AutoCloseable {
    /** How often a graph in training has the garbage collector free what it left (see collectOccasionally). */
    private static final long COLLECTION_INTERVAL_NANOS = 3_000_000_000L;

    private final MultiLayerNetwork stack;
    private final ComputationGraph graph;
    private long lastCollection = System.nanoTime();

    private Net(MultiLayerNetwork stack, ComputationGraph graph) {
        this.stack = stack;
        this.graph = graph;
    }

    public static Net of(MultiLayerNetwork network) {
        return new Net(network, null);
    }

    public static Net of(ComputationGraph network) {
        return new Net(null, network);
    }

    /** Whether it is a graph (stored and restored as one). */
    public boolean isGraph() {
        return graph != null;
    }

    /** The DL4J model, for its serializer. */
    public Model model() {
        return stack != null ? stack : graph;
    }

    public void fit(DataSet batch) {
        if (stack != null) {
            stack.fit(batch);
        } else {
            graph.fit(batch);
            collectOccasionally();
        }
    }

    /**
     * DL4J 1.0.0-M2.1's ComputationGraph leaves native arrays outside its workspaces at every minibatch (about 130 MB
     * a minibatch of 128 images for ResNet-20), which only the garbage collector frees; the Java heap barely moves, so
     * it never ran, and a ResNet-20 run grew to 21 GB and was killed in its second epoch. A collection every few
     * seconds of training holds it near 2 GB (ResNetTest); stacks keep everything in workspaces and need none.
     * (ND4J's own periodic collection, MemoryManager.togglePeriodicGc, did not hold it in a test JVM.)
     */
    private void collectOccasionally() {
        long now = System.nanoTime();
        if (now - lastCollection > COLLECTION_INTERVAL_NANOS) {
            System.gc();
            lastCollection = System.nanoTime();
        }
    }

    /** DL4J's JSON configuration of the network, as its model files hold it. */
    public String configurationJson() {
        return stack != null ? stack.getLayerWiseConfigurations().toJson() : graph.getConfiguration().toJson();
    }

    /** The last minibatch's loss. */
    public double score() {
        return model().score();
    }

    public INDArray params() {
        return model().params();
    }

    public void setParams(INDArray params) {
        model().setParams(params);
    }

    public long numParams() {
        return model().numParams();
    }

    /** Class probabilities for a batch of examples, in inference mode (no dropout, batch norm's running means). */
    public INDArray output(INDArray features) {
        if (stack != null) {
            return stack.output(features, false);
        }
        INDArray out = graph.outputSingle(false, features);
        collectOccasionally();
        return out;
    }

    public Layer[] layers() {
        return stack != null ? stack.getLayers() : graph.getLayers();
    }

    /** Whether any layer is a convolution (inference then goes in smaller batches). */
    public boolean convolutional() {
        return Arrays.stream(layers()).anyMatch(l -> l.conf().getLayer() instanceof ConvolutionLayer);
    }

    /**
     * Frees its native memory at once (weights, gradients, updater state, the thread's workspaces). A stack's is what
     * DL4J's own close() frees, without the two System.gc() calls in it: full collections of a heap holding the data
     * set took 0.2-0.8 s a trial, most of a run's time outside training (bench/throughput). A graph keeps DL4J's
     * close: the collection frees the native arrays it leaves outside its workspaces (see collectOccasionally).
     */
    @Override
    public void close() {
        if (graph != null) {
            graph.close();
            return;
        }
        release(stack.params());
        release(stack.getFlattenedGradients());
        Updater updater = stack.getUpdater(false);
        if (updater != null) {
            release(updater.getStateViewArray());
        }
        // One by one: destroyAllWorkspacesForCurrentThread() runs a System.gc() of its own.
        MemoryWorkspaceManager workspaces = Nd4j.getWorkspaceManager();
        for (MemoryWorkspace workspace : List.copyOf(workspaces.getAllWorkspacesForCurrentThread())) {
            workspaces.destroyWorkspace(workspace);
        }
    }

    /** Frees an array's native memory now, rather than whenever the collector finds it unreachable. */
    static void release(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
    }
}
