package io.hpsearch.trainer;

import io.hpsearch.store.EpochMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Everything a trial's training holds between two epochs, as bytes: what a checkpoint stores, so that a trial whose
 * process died continues after its last checkpointed epoch as if it had never stopped (the same weights, optimiser
 * moments, learning rate step, data order and random stream; dropout's masks come from ND4J's own generator, which
 * is not kept, so a network with dropout continues from the same state but draws other masks). The network itself
 * is built again from the trial's parameters, so only its arrays are kept.
 *
 * @param epoch       the last epoch trained
 * @param bestEpoch   the epoch whose weights the trial keeps so far
 * @param history     the metrics of epochs 1 to {@code epoch}
 * @param iterations  minibatches trained: where the learning rate schedule is
 * @param params      the weights after {@code epoch}
 * @param updater     the optimiser's state (Adam's moments, say); null for an optimiser without any (plain SGD)
 * @param bestWeights the weights of {@code bestEpoch} when early stopping keeps them apart; null otherwise
 * @param order       the training examples' order, which each epoch shuffles further
 * @param random      the trial's random stream (shuffling, augmentation)
 * @param network     a hash of the network's configuration as built, before training; null in checkpoints written
 *                    before it was kept (it follows the rest, so they read as they are)
 */
record TrainingState(int epoch, int bestEpoch, List<EpochMetrics> history, int iterations, INDArray params,
                     INDArray updater, INDArray bestWeights, int[] order, Random random, Integer network) {
    /**
     * Written first: a checkpoint from another layout is refused, and the trial trains from scratch. Layout 2 writes
     * the arrays itself (layout 1 used ND4J's serialisation, whose header lengths are trusted before anything is
     * read: a damaged one asked for the memory it named).
     */
    private static final int FORMAT = 2;
    /** More dimensions than any of hpsearch's arrays have: a larger rank is damage. */
    private static final int MAX_RANK = 8;
    private static final int MAGIC = 0x68705343; // "hpSC"
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] bytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(
                (int) Math.min(Integer.MAX_VALUE - 64, 4L * (params.length() * 2 + (updater == null ? 0 : updater.length()))
                        + 4L * order.length + 65_536));
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(epoch);
            out.writeInt(bestEpoch);
            out.writeInt(history.size());
            for (EpochMetrics m : history) {
                out.writeInt(m.execution());
                out.writeInt(m.epoch());
                out.writeDouble(m.trainLoss());
                out.writeDouble(m.valLoss());
                out.writeDouble(m.valAccuracy());
                out.writeDouble(m.seconds());
            }
            out.writeInt(iterations);
            writeArray(params, out);
            writeOptional(updater, out);
            writeOptional(bestWeights, out);
            out.writeInt(order.length);
            for (int i : order) {
                out.writeInt(i);
            }
            ByteArrayOutputStream randomBytes = new ByteArrayOutputStream();
            try (ObjectOutputStream objects = new ObjectOutputStream(randomBytes)) {
                objects.writeObject(random);
            }
            out.writeInt(randomBytes.size());
            randomBytes.writeTo(out);
            if (network != null) {
                out.writeInt(network);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a training checkpoint: " + e.getMessage(), e);
        }
        return buffer.toByteArray();
    }

    /**
     * Identifies a network as built, before training: a hash of its DL4J configuration without the random seeds.
     * Workers that joined a run draw other seeds for the same trial, and a checkpoint replaces what the seed
     * decides (the weights and the random stream), so a retry on another worker continues it; any other difference
     * (a layer, an activation, a rate) makes another network, whose checkpoint is refused.
     */
    static int identify(Net network) {
        try {
            JsonNode configuration = JSON.readTree(network.configurationJson());
            withoutSeeds(configuration);
            return configuration.toString().hashCode();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read DL4J's configuration of the network: " + e.getMessage(), e);
        }
    }

    private static void withoutSeeds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("seed");
        }
        node.forEach(TrainingState::withoutSeeds);
    }

    /** A count of items of at least {@code bytesEach} bytes that the rest of the checkpoint can hold. */
    private static int length(DataInputStream in, int bytesEach) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * bytesEach > in.available()) {
            throw new CheckpointException("it is damaged (a length of " + n + " where " + in.available()
                    + " bytes are left)");
        }
        return n;
    }

    private static void writeOptional(INDArray array, DataOutputStream out) throws IOException {
        out.writeBoolean(array != null);
        if (array != null) {
            writeArray(array, out);
        }
    }

    /** An array as its type (0 float, 1 double), rank, shape and values in row-major order. */
    private static void writeArray(INDArray array, DataOutputStream out) throws IOException {
        boolean single = array.dataType() == DataType.FLOAT;
        if (!single && array.dataType() != DataType.DOUBLE) {
            throw new IllegalStateException("a training checkpoint keeps float or double arrays, not "
                    + array.dataType());
        }
        out.writeByte(single ? 0 : 1);
        out.writeInt(array.rank());
        for (long size : array.shape()) {
            out.writeLong(size);
        }
        // ND4J's default order, row-major (hpsearch never changes it): ravel('c') and reshape('c', n) of M2.1 take
        // the 'c' for a dimension of 99.
        INDArray flat = array.ravel();
        ByteBuffer values = ByteBuffer.allocate(Math.toIntExact(array.length() * (single ? 4 : 8)));
        if (single) {
            values.asFloatBuffer().put(flat.toFloatVector());
        } else {
            values.asDoubleBuffer().put(flat.toDoubleVector());
        }
        out.write(values.array());
    }

    /**
     * Reads what {@link #writeArray} wrote; its shape is checked against the bytes left before anything is
     * allocated for it.
     */
    private static INDArray readArray(DataInputStream in) throws IOException {
        int type = in.readByte();
        int rank = in.readInt();
        if (type != 0 && type != 1 || rank < 0 || rank > MAX_RANK) {
            throw new CheckpointException("it is damaged (an array of type " + type + " and rank " + rank + ")");
        }
        long[] shape = new long[rank];
        long length = 1;
        int bytesEach = type == 0 ? 4 : 8;
        for (int d = 0; d < rank; d++) {
            shape[d] = in.readLong();
            if (shape[d] < 0 || shape[d] > in.available()) {
                throw new CheckpointException("it is damaged (an array dimension of " + shape[d] + " where "
                        + in.available() + " bytes are left)");
            }
            length *= shape[d]; // each factor is under 2^31, and so is the product so far (checked below)
            if (length * bytesEach > in.available()) {
                throw new CheckpointException("it is damaged (an array of " + length + " values where "
                        + in.available() + " bytes are left)");
            }
        }
        ByteBuffer values = ByteBuffer.wrap(in.readNBytes((int) length * bytesEach));
        if (type == 0) {
            float[] floats = new float[(int) length];
            values.asFloatBuffer().get(floats);
            return Nd4j.create(floats, shape, 'c');
        }
        double[] doubles = new double[(int) length];
        values.asDoubleBuffer().get(doubles);
        return Nd4j.create(doubles, shape, 'c');
    }

    /**
     * Reads what {@link #bytes} wrote.
     *
     * @throws CheckpointException when the bytes are not such a checkpoint, or of another layout
     */
    static TrainingState read(byte[] bytes) {
        List<INDArray> read = new ArrayList<>(3); // freed if the rest cannot be read
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new CheckpointException("it is not an hpsearch training checkpoint");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new CheckpointException("it has layout " + format + ", this hpsearch reads " + FORMAT);
            }
            int epoch = in.readInt();
            int bestEpoch = in.readInt();
            // Lengths are checked against the bytes left before anything is allocated: a damaged length must not
            // ask for gigabytes.
            int epochs = length(in, 40);
            List<EpochMetrics> history = new ArrayList<>(epochs);
            for (int i = 0; i < epochs; i++) {
                history.add(new EpochMetrics(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble()));
            }
            if (epochs != epoch || bestEpoch < 0 || bestEpoch > epoch) {
                throw new CheckpointException("its epochs disagree (" + epochs + " recorded, after epoch " + epoch
                        + ", best " + bestEpoch + ")");
            }
            int iterations = in.readInt();
            read.add(readArray(in));
            read.add(in.readBoolean() ? readArray(in) : null);
            read.add(in.readBoolean() ? readArray(in) : null);
            INDArray params = read.get(0);
            INDArray updater = read.get(1);
            INDArray best = read.get(2);
            int[] order = new int[length(in, 4)];
            for (int i = 0; i < order.length; i++) {
                order[i] = in.readInt();
            }
            byte[] randomBytes = in.readNBytes(length(in, 1));
            Random random;
            try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(randomBytes))) {
                // The bytes come from a database other processes write: nothing but a Random is deserialised.
                objects.setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.util.Random;!*"));
                random = (Random) objects.readObject();
            }
            Integer network = in.available() >= 4 ? in.readInt() : null;
            return new TrainingState(epoch, bestEpoch, history, iterations, params, updater, best, order, random,
                    network);
        } catch (IOException | ClassNotFoundException | RuntimeException | OutOfMemoryError e) {
            read.forEach(Net::release);
            if (e instanceof CheckpointException c) {
                throw c;
            }
            throw new CheckpointException("it cannot be read (" + e + ")");
        }
    }
}
