package io.hpsearch.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.data.DataException;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.Encodings;
import io.hpsearch.trainer.OneDnn;
import io.hpsearch.trainer.Net;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A trained network with everything predicting needs: DL4J's own model zip (readable by
 * {@code ModelSerializer.restoreMultiLayerNetwork}) plus an {@value #ENTRY} entry holding the input encoding (shape,
 * a table's standardisation and categories), the class names and the data's provenance.
 */
public final class ModelFile {
    /** The zip entry hpsearch adds beside DL4J's. */
    public static final String ENTRY = "hpsearch.json";
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {
    }

    /**
     * What a model file holds.
     *
     * @param data where the training data came from (files and hashes, counts), as the run recorded it
     */
    public record Model(Net network, Encoding encoding, List<String> classes, Map<String, Object> data) {
    }

    /** Writes the model to {@code target} atomically: a crash leaves the previous file or the new one, whole. */
    public static void write(Path target, Net network, Encoding encoding, List<String> classes,
                             Map<String, Object> data) {
        byte[] zip = bytes(network, encoding, classes, data);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, zip);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The run's data record without the training machine's folders: a model file is handed to others, and a file
     * name with its SHA-256 identifies the data as well as its full path.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> portable(Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>(data);
        Object files = data.get("files");
        if (files instanceof List<?> list) {
            out.put("files", list.stream().map(f -> {
                Map<String, Object> file = new LinkedHashMap<>((Map<String, Object>) f);
                file.put("path", Path.of(String.valueOf(file.get("path"))).getFileName().toString());
                return file;
            }).toList());
        }
        return out;
    }

    /**
     * The model file's bytes: what {@link #write} writes and the store keeps as a run's best model. The layout is
     * DL4J's ModelSerializer's (configuration.json, coefficients.bin), which its restore methods read, plus
     * {@value #ENTRY}, written in memory with the weights stored uncompressed: deflate saved 8 % of a 1.2 M-parameter
     * MLP's weights at 25 MB/s, even at its fastest level, and ModelSerializer's default level plus a temp file and a
     * second pass for the entry cost 0.34 s after every best-so-far trial, time a worker spends outside training
     * (bench/throughput).
     */
    public static byte[] bytes(Net network, Encoding encoding, List<String> classes,
                               Map<String, Object> data) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("classes", classes);
        meta.put("input", encoding.describe());
        meta.put("data", portable(data));
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                (int) Math.min(Integer.MAX_VALUE - 64, 4 * network.numParams() + 65_536));
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("configuration.json"));
            zip.write(network.configurationJson().getBytes(StandardCharsets.UTF_8));
            zip.setLevel(Deflater.NO_COMPRESSION);
            zip.putNextEntry(new ZipEntry("coefficients.bin"));
            // Not closed: closing would close the zip. Nd4j.write is what ModelSerializer writes the weights with.
            DataOutputStream coefficients = new DataOutputStream(new BufferedOutputStream(zip));
            Nd4j.write(network.params(), coefficients);
            coefficients.flush();
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            zip.putNextEntry(new ZipEntry(ENTRY));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Reads the network only from a model file's bytes (for the test evaluation, whichever worker trained it). */
    public static Net network(byte[] zip) throws IOException {
        Path file = Files.createTempFile("hpsearch-model", ".zip");
        try {
            Files.write(file, zip);
            return network(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Reads the network only: a stack or a graph, as DL4J's configuration in the file says. */
    public static Net network(Path file) throws IOException {
        if (isGraph(file)) {
            return OneDnn.attach(Net.of(ModelSerializer.restoreComputationGraph(file.toFile(), false)));
        }
        return OneDnn.attach(Net.of(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false)));
    }

    /** A graph's configuration lists its vertices; a stack's does not. */
    private static boolean isGraph(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry("configuration.json");
            if (conf == null) {
                return false;
            }
            try (InputStream in = zip.getInputStream(conf)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("\"vertices\"");
            }
        }
    }

    /**
     * Reads a model file hpsearch wrote.
     *
     * @throws DataException when it is missing, not a model zip, or has no hpsearch entry
     */
    public static Model read(Path file) {
        Map<String, Object> meta;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(ENTRY);
            if (entry == null) {
                throw new DataException(file + ": not a model file written by this version of hpsearch (no "
                        + ENTRY + " inside); retrain the run, or use a newer hpsearch");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                meta = JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() { });
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new DataException(file + ": model file not found");
        } catch (IOException e) {
            throw new DataException(file + ": not a readable model file (" + e.getMessage() + ")", e);
        }
        if (!Integer.valueOf(FORMAT).equals(meta.get("format"))) {
            throw new DataException(file + ": model file format " + meta.get("format") + " is not one this "
                    + "version of hpsearch reads (" + FORMAT + ")");
        }
        if (!(meta.get("input") instanceof Map<?, ?> input) || !(meta.get("classes") instanceof List<?> names)
                || names.isEmpty()) {
            throw new DataException(file + ": not a readable model file (" + ENTRY + " lacks its input description "
                    + "or class names)");
        }
        Encoding encoding = Encodings.restore(input);
        List<String> classes = names.stream().map(String::valueOf).toList();
        @SuppressWarnings("unchecked")
        Map<String, Object> data = meta.get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        try {
            return new Model(network(file), encoding, classes, data);
        } catch (IOException e) {
            throw new DataException(file + ": the network in the model file cannot be read (" + e.getMessage() + ")",
                    e);
        }
    }
}
