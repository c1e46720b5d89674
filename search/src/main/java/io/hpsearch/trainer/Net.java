package io.hpsearch.trainer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ISchedule;
import com.sun.management.GcInfo;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A trained or training network, whichever DL4J type holds it: a {@link MultiLayerNetwork} (a stack: MLPs, plain
 * CNNs) or a {@link ComputationGraph} (residual networks, whose shortcuts a stack cannot express). The one place
 * that tells them apart, so that the trainer, the test evaluation, the model file and prediction take either.
 */
public final class Net implements AutoCloseable {
    /** How often a leaky network has the garbage collector free what it left (see collectOccasionally). */
    private static final Duration LEAKY_INTERVAL = Duration.ofSeconds(3);
    /**
     * How often a network looks whether it is due one: a fraction of the interval, so that a collection skipped
     * because another ran moments ago comes once that one is an interval old, not an interval after the skip (checked
     * only every 3 s, a collection 2.9 s before the check pushed the next to 6 s: twice the arrays waiting).
     */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    /**
     * How recent a whole-heap collection may be for a closing network to skip its own: what a closed network leaves
     * is a few MB (bench/throughput's 100-trial run grew by 2 MB a trial with no collection at all), so one
     * collection every 10 s holds any number of short trials, where one per trial stopped every worker for 0.1 s
     * each time (7 of them, 0.7-0.8 s, in bench/throughput's six-MLP run on 2 workers: most of its overhead).
     */
    static final Duration CLOSE_INTERVAL = Duration.ofSeconds(10);
    /**
     * HotSpot's collectors that collect the whole heap, by their bean names: G1's full collections, Parallel's and
     * Serial's old generation, ZGC's cycles (major ones where ZGC is generational) and Shenandoah's. Named rather
     * than guessed from what young collectors are called: a young collection counted as whole-heap would skip the
     * collections that leaky networks need (generational ZGC's "Minor Cycles" would). Where none of these exists
     * (another JVM), nothing counts as a recent collection and every collection asked for runs.
     */
    private static final List<com.sun.management.GarbageCollectorMXBean> WHOLE_HEAP =
            ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .filter(b -> b instanceof com.sun.management.GarbageCollectorMXBean)
                    .filter(b -> List.of("G1 Old Generation", "PS MarkSweep", "MarkSweepCompact", "ZGC Cycles",
                            "ZGC Major Cycles", "Shenandoah Cycles").contains(b.getName()))
                    .map(b -> (com.sun.management.GarbageCollectorMXBean) b)
                    .toList();

    private final MultiLayerNetwork stack;
    private final ComputationGraph graph;
    private long lastCheck = System.nanoTime();
    /** Whether the updater's Adam is {@link FastAdam}: given at the first fit, again after a schedule replaced it. */
    private boolean fastAdam;

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
        if (!fastAdam) {
            // Here rather than when the network is built: an updater made for a network that only predicts would
            // hold twice its weights in Adam's moments for nothing.
            FastAdam.attach(stack != null ? stack.getUpdater() : graph.getUpdater());
            fastAdam = true;
        }
        if (stack != null) {
            stack.fit(batch);
        } else {
            graph.fit(batch);
        }
        collectOccasionally();
    }

    /**
     * DL4J 1.0.0-M2.1's own batch normalisation of convolutional activations leaves native arrays outside the
     * workspaces at every minibatch, in training and in inference, which only the garbage collector frees; the Java
     * heap barely moves, so it never ran: a ResNet-20 run (batch norm after every convolution; about 130 MB a
     * minibatch of 128) grew to 21 GB and was killed in its second epoch, and a test evaluation of a CNN with
     * batch-normalised convolutions passed 9 GB. hpsearch's own batch normalisation ({@link FastBatchNorm}, which
     * {@link OneDnn} attaches to the float, channels-first layers hpsearch builds) leaves nothing, so only a network
     * with a batch norm layer on DL4J's path (a user's channels-last or locked-gamma layer, or one whose helper
     * failed: DL4J then goes its own way for good) has a collection every few seconds to hold them (ResNetTest,
     * NetTest). Asked at each interval rather than once: the helpers are attached after the network is built, and
     * one may fail at any minibatch. The heap is one per process, so a collection another worker's network asked for frees
     * this one's arrays too. (ND4J's own periodic collection, MemoryManager.togglePeriodicGc, did not hold it in a
     * test JVM.)
     */
    private void collectOccasionally() {
        long now = System.nanoTime();
        if (now - lastCheck > CHECK_INTERVAL.toNanos()) {
            if (leavesArrays()) {
                collectUnlessWithin(LEAKY_INTERVAL);
            }
            lastCheck = System.nanoTime();
        }
    }

    /**
     * Runs a whole-heap collection unless one (asked for by any network, or the JVM's own) ended within
     * {@code recent}, by the JVM's record of its collections; true if it ran one.
     */
    static boolean collectUnlessWithin(Duration recent) {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        for (com.sun.management.GarbageCollectorMXBean collector : WHOLE_HEAP) {
            GcInfo last = collector.getLastGcInfo();
            if (last != null && uptime - last.getEndTime() < recent.toMillis()) {
                return false;
            }
        }
        System.gc();
        return true;
    }

    /** How many whole-heap collections the JVM has run (the ones {@link #collectUnlessWithin} looks at). */
    static long wholeHeapCollections() {
        return WHOLE_HEAP.stream().mapToLong(com.sun.management.GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /**
     * Whether it leaves native arrays behind that only a collection frees (see collectOccasionally): a batch
     * normalisation layer of convolutional activations (in a stack, after a convolution; in a graph, any) that DL4J
     * normalises itself, without {@link FastBatchNorm} or after it failed ({@link OneDnn#fastBatchNorm}).
     */
    boolean leavesArrays() {
        boolean convolved = graph != null;
        for (Layer layer : layers()) {
            if (layer.conf().getLayer() instanceof ConvolutionLayer) {
                convolved = true;
            } else if (convolved && layer.conf().getLayer() instanceof BatchNormalization
                    && !OneDnn.fastBatchNorm(layer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives every layer that learns the schedule instead of its constant learning rate. DL4J does it by building a
     * new updater, which copies the old one's state into a state array of its own: the old array is freed here,
     * not left for a collection (twice the weights for Adam: about 10 MB for a 4 x 512 MLP, every trial).
     */
    public void setLearningRate(ISchedule schedule) {
        INDArray before = updaterState();
        if (stack != null) {
            stack.setLearningRate(schedule);
        } else {
            graph.setLearningRate(schedule);
        }
        if (before != updaterState()) {
            release(before);
        }
        fastAdam = false; // DL4J built a new updater, with its own Adam
    }

    /** The updater's state (Adam's moments, say), the updater created first if it was not yet. */
    INDArray updaterState() {
        return stack != null ? stack.getUpdater().getStateViewArray() : graph.getUpdater().getStateViewArray();
    }

    /** Minibatches trained: the step a learning rate schedule is at. */
    int iterations() {
        return stack != null ? stack.getIterationCount() : graph.getIterationCount();
    }

    /** Sets the minibatch count (a network continued from a checkpoint); each layer takes it at the next fit. */
    void setIterations(int count) {
        if (stack != null) {
            stack.setIterationCount(count);
        } else {
            graph.getConfiguration().setIterationCount(count);
        }
    }

    /** The learning rate the next minibatch of the first layer that learns will use. */
    public double learningRate() {
        for (Layer layer : layers()) {
            if (layer.numParams() > 0) {
                String name = layer.conf().getLayer().getLayerName();
                Double rate = stack != null ? stack.getLearningRate(layer.getIndex()) : graph.getLearningRate(name);
                if (rate != null) {
                    return rate;
                }
            }
        }
        throw new IllegalStateException("no layer with a learning rate");
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
        INDArray out = stack != null ? stack.output(features, false) : graph.outputSingle(false, features);
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
     * Frees its native memory at once (weights, gradients, updater state, the thread's workspaces), then has the
     * garbage collector free the arrays DL4J dropped while it trained, unless a collection ran in the last
     * {@link #CLOSE_INTERVAL}. DL4J's own close() runs two full collections (one in
     * destroyAllWorkspacesForCurrentThread()); with a heap holding the data set they took 0.2-0.8 s a trial, most
     * of a run's time outside training (bench/throughput). Collections keep the run's memory flat across trials
     * (bench/throughput's 100-trial run); none at all let it grow by a fifth. A network that leaves arrays behind as
     * it trains keeps DL4J's close (see collectOccasionally), and so does a graph: its params() is a reshaped view
     * of the weights, which cannot be closed, and a graph trains for minutes, where 0.2-0.8 s a trial is noise.
     */
    @Override
    public void close() {
        if (graph != null || leavesArrays()) {
            model().close();
            return;
        }
        release(stack.params());
        release(stack.getFlattenedGradients());
        Updater updater = stack.getUpdater(false);
        if (updater != null) {
            release(updater.getStateViewArray());
        }
        MemoryWorkspaceManager workspaces = Nd4j.getWorkspaceManager();
        for (MemoryWorkspace workspace : List.copyOf(workspaces.getAllWorkspacesForCurrentThread())) {
            workspaces.destroyWorkspace(workspace);
        }
        collectUnlessWithin(CLOSE_INTERVAL);
    }

    /** Frees an array's native memory now, rather than whenever the collector finds it unreachable. */
    static void release(INDArray array) {
        if (array != null && array.closeable()) {
            array.close();
        }
    }
}
