package io.hpsearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.data.Examples;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.testing.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own data end to end, as the README tells them: a CSV table and a folder of PNG images tuned with
 * {@code run}, the best model used with {@code predict}, and a resume refused once the data changed on disk.
 */
class OwnDataTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Three classes decided by a numeric column on a large scale and a text column; a second numeric column is
     * noise. Quoted fields, CRLF line ends and a byte-order mark, as spreadsheets write them.
     */
    private static String table(int rows, long seed, boolean withLabel) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("\uFEFF" + "\"size (mm)\",colour,noise" + (withLabel ? ",species" : "")
                + "\r\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < rows; i++) {
            double size = 1000 + random.nextDouble() * 3000;
            String colour = colours[random.nextInt(3)];
            String species = size < 2000 ? "alpha" : colour.equals("red") ? "beta, red" : "gamma";
            csv.append(String.format(java.util.Locale.ROOT, "%.1f,%s,%.3f", size, colour, random.nextGaussian()));
            if (withLabel) {
                csv.append(",\"").append(species).append('"');
            }
            csv.append("\r\n");
        }
        return csv.toString();
    }

    @Test
    void aCsvTableIsTunedAndItsBestModelPredictsNewRows() throws IOException {
        Path data = Files.createDirectories(dir.resolve("project/data"));
        Path train = Files.writeString(data.resolve("train.csv"), table(400, 1, true), StandardCharsets.UTF_8);
        Path space = Files.writeString(dir.resolve("project/space.yaml"), """
                name: species
                dataset:
                  type: csv
                  train: data/train.csv
                  label: species
                max_trials: 2
                training: {epochs: 30, batch_size: 32}
                model:
                  type: mlp
                  hidden_layers: 1
                  units: {choice: [16, 32]}
                  learning_rate: 0.01
                """);
        Path db = dir.resolve("db/hpsearch");

        Result run = cli("run", space.toString(), "--db", db.toString(), "--workers", "1");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("beta, red"), "class names in the report: " + run.out());
        try (Store store = Store.open(db)) {
            String record = store.runData(1).orElseThrow();
            JsonNode data1 = new ObjectMapper().readTree(record);
            assertEquals("csv", data1.get("type").asText());
            assertEquals(io.hpsearch.data.Hashes.sha256(train), data1.get("files").get(0).get("sha256").asText());
            assertEquals(80, data1.get("counts").get("test").asInt(), "20 % held out");
            assertEquals(64, data1.get("counts").get("validation").asInt(), "20 % of the remaining 320");
            assertEquals("[\"size (mm)\",\"colour\",\"noise\"]", data1.get("features").toString());
            assertEquals("[\"alpha\",\"beta, red\",\"gamma\"]", data1.get("classes").toString());
            assertEquals(5, data1.get("shape").get("features").asInt(), "2 numeric + 3 colours one-hot");
            assertTrue(store.testEvaluation(1).orElseThrow().accuracy() > 0.85,
                    "an easy table: " + store.testEvaluation(1).orElseThrow().accuracy());
        }

        // New rows, columns in another order, the label present: one row per example and the accuracy.
        Path input = Files.writeString(dir.resolve("new.csv"), reorder(table(100, 2, true)));
        Path output = dir.resolve("predictions.csv");
        Result predict = cli("predict", "1", input.toString(), "--db", db.toString(), "--output", output.toString());
        assertEquals(0, predict.code(), predict.out() + predict.err());
        List<String> lines = Files.readAllLines(output);
        assertEquals("id,predicted,label,p_alpha,\"p_beta, red\",p_gamma", lines.get(0));
        assertEquals(101, lines.size());
        assertTrue(lines.get(1).startsWith("2,"), "ids are the input's line numbers: " + lines.get(1));
        assertTrue(predict.out().matches("(?s).*Accuracy: (9\\d|100)\\.\\d\\d % \\(100 labelled examples\\).*"),
                predict.out());

        // Without labels, as JSON on standard output; the summary goes to standard error.
        Path unlabelled = Files.writeString(dir.resolve("unlabelled.csv"), table(3, 3, false));
        Result json = cli("predict", "1", unlabelled.toString(), "--db", db.toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertEquals(3, rows.size());
        assertEquals(3, rows.get(0).get("probabilities").size());
        assertTrue(json.err().contains("Predicted 3 example(s)"), json.err());

        // The summary names the run's network, not the temporary copy the model is read from.
        assertTrue(predict.out().contains(" with run 1's best network (trial "), predict.out());

        // --output never replaces the examples or the model, and a folder that is not there is named before anything
        // is read.
        byte[] examples = Files.readAllBytes(input);
        Result overInput = cli("predict", "1", input.toString(), "--db", db.toString(), "--output", input.toString());
        assertEquals(2, overInput.code(), overInput.out() + overInput.err());
        assertEquals("hpsearch: --output " + input + ": is the INPUT file, which the predictions would replace; "
                + "choose another file", overInput.err().strip());
        assertArrayEquals(examples, Files.readAllBytes(input));
        Path model;
        try (Store store = Store.open(db)) {
            model = Files.write(dir.resolve("model.zip"), SearchRunner.bestModel(store, 1).orElseThrow());
        }
        Result overModel = cli("predict", model.toString(), input.toString(), "--output", model.toString());
        assertEquals(2, overModel.code(), overModel.out() + overModel.err());
        assertEquals("hpsearch: --output " + model + ": is the model file, which the predictions would replace; "
                + "choose another file", overModel.err().strip());
        Path nowhere = dir.resolve("nowhere/predictions.csv");
        Result noFolder = cli("predict", "1", input.toString(), "--db", db.toString(), "--output", nowhere.toString());
        assertEquals(2, noFolder.code(), noFolder.out() + noFolder.err());
        assertEquals("hpsearch: --output " + nowhere + ": the folder " + nowhere.getParent().toAbsolutePath()
                + " does not exist", noFolder.err().strip());
        // Written again over the earlier predictions: replaced whole, no temporary file left beside them.
        Result again = cli("predict", model.toString(), input.toString(), "--output", output.toString());
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains(" with " + model + "; written to " + output), again.out());
        assertEquals(lines, Files.readAllLines(output));
        try (var siblings = Files.list(output.getParent())) {
            assertEquals(List.of(), siblings.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
        // The replaced file keeps its permissions; a link is written through, as to /dev/stdout.
        Files.setPosixFilePermissions(output, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(0, cli("predict", model.toString(), input.toString(), "--output", output.toString()).code());
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(output)));
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), output);
        assertEquals(0, cli("predict", model.toString(), input.toString(), "--output", link.toString()).code());
        assertTrue(Files.isSymbolicLink(link), "still a link");
        assertEquals(lines, Files.readAllLines(output));

        // Rows whose label cell is empty are predicted and left out of the accuracy, not the whole file's labels.
        String[] partRows = table(4, 5, true).split("\r\n");
        Path partly = Files.writeString(dir.resolve("partly.csv"), String.join("\r\n", partRows[0], partRows[1], partRows[2],
                partRows[3], partRows[4].substring(0, partRows[4].lastIndexOf(",\"") + 1)) + "\r\n");
        Result part = cli("predict", "1", partly.toString(), "--db", db.toString());
        assertEquals(0, part.code(), part.out() + part.err());
        List<String> partLines = part.out().lines().toList();
        assertEquals("id,predicted,label,p_alpha,\"p_beta, red\",p_gamma", partLines.get(0));
        assertTrue(partLines.get(4).matches("5,[^,]+(, red\")?,,.*"), partLines.get(4));
        assertTrue(part.err().contains("(3 labelled examples; 1 more without a label, not counted)"), part.err());

        // Standard output that cannot be written (a full disk, say) is an error, not a success with rows missing.
        StringWriter failedErr = new StringWriter();
        PrintWriter full = new PrintWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        });
        assertEquals(1, Main.execute(new String[]{"predict", "1", input.toString(), "--db", db.toString()}, full,
                new PrintWriter(failedErr)));
        assertTrue(failedErr.toString().contains("hpsearch: could not write to standard output"), failedErr.toString());
        // So is --output on a full disk (/dev/full answers every write so): exit 1, as on standard output, not 2.
        Result fullDisk = cli("predict", "1", input.toString(), "--db", db.toString(), "--output", "/dev/full");
        assertEquals(1, fullDisk.code(), fullDisk.out() + fullDisk.err());
        assertEquals("hpsearch: --output /dev/full: cannot write it (No space left on device); nothing was written",
                fullDisk.err().strip());

        // A column the model needs is missing: one clear line, exit 2.
        Path broken = Files.writeString(dir.resolve("broken.csv"), "colour,noise\nred,0.1\n");
        Result missing = cli("predict", "1", broken.toString(), "--db", db.toString());
        assertEquals(2, missing.code(), missing.out() + missing.err());
        assertTrue(missing.err().startsWith("hpsearch: " + broken) && missing.err().contains("size (mm)"),
                missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());

        // Resuming a run whose data changed on disk is refused, naming the file.
        try (Store store = Store.open(db)) {
            store.finishRun(1, RunStatus.CANCELLED, "cancelled for the test");
        }
        String original = Files.readString(train);
        Files.writeString(train, original.replace("\r\n1", "\r\n2"));
        // A bad flag is refused before the data is hashed.
        Result noWorkers = cli("resume", "1", "--db", db.toString(), "--workers", "0");
        assertEquals(2, noWorkers.code(), noWorkers.out() + noWorkers.err());
        assertEquals("hpsearch: --workers must be at least 1, was 0", noWorkers.err().strip());
        Result resume = cli("resume", "1", "--db", db.toString());
        assertEquals(2, resume.code(), resume.out() + resume.err());
        assertTrue(resume.err().startsWith("hpsearch: " + train + " changed since run 1 started (SHA-256 "),
                resume.err());
        Files.writeString(train, original);
        assertEquals(0, cli("resume", "1", "--db", db.toString()).code(), "the same data resumes");
    }

    /** The same table with its columns in another order: prediction matches columns by name. */
    private static String reorder(String csv) {
        StringBuilder out = new StringBuilder();
        for (String line : csv.replace("\uFEFF", "").split("\r\n")) {
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            out.append(f[3]).append(',').append(f[2]).append(',').append(f[0]).append(',').append(f[1]).append('\n');
        }
        return out.toString();
    }

    @Test
    void aFolderOfImagesIsTunedAndItsBestModelPredictsImages() throws IOException {
        Path photos = dir.resolve("photos");
        FashionMnist slice = FashionMnist.load(TestPaths.DATA);
        writePngs(slice.train(), photos.resolve("train"), 40);
        writePngs(slice.test(), photos.resolve("test"), 10);
        Path space = Files.writeString(dir.resolve("images.yaml"), """
                name: photos
                dataset: {type: images, train: photos/train, test: photos/test, height: 28, width: 28, channels: 1}
                max_trials: 1
                training: {epochs: 3, batch_size: 16}
                model:
                  type: cnn
                  conv_blocks: 1
                  filters: 8
                  dense_layers: 1
                  units: 32
                  learning_rate: 0.003
                """);
        // A training photo of a kind it does not read is said when the data is read and kept in the run's record.
        Path trainWebp = Files.writeString(photos.resolve("train/Bag/beach.webp"), "RIFF");
        Path db = dir.resolve("images-db/hpsearch");
        Result run = cli("run", space.toString(), "--db", db.toString(), "--workers", "1");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("Trouser"), "class names from the folders: " + run.out());
        assertTrue(run.err().contains("Skipped 1 entry of " + photos.resolve("train") + " that is not an image "
                + "hpsearch reads (.png, .jpg, .jpeg, .bmp, .gif, .tif, .tiff): Bag/beach.webp\n"), run.err());
        Result show = cli("show", "1", "--db", db.toString());
        assertTrue(show.out().contains("    skipped: 1 entry that is not an image hpsearch reads: Bag/beach.webp\n"),
                show.out());
        Files.delete(trainWebp);

        Result folder = cli("predict", "1", photos.resolve("test").toString(), "--db", db.toString());
        assertEquals(0, folder.code(), folder.err());
        assertEquals(31, folder.out().strip().lines().count(), "a header and one row per test image");
        assertTrue(folder.out().lines().skip(1).allMatch(l -> l.matches("(Bag|Trouser|Sneaker)/\\d+\\.png,.*")),
                folder.out());
        assertTrue(folder.err().contains("Accuracy: "), "a folder of class folders is labelled: " + folder.err());

        // A photo of a kind it does not read is named in the summary, not skipped in silence.
        Path webp = Files.writeString(photos.resolve("test/Bag/holiday.webp"), "RIFF");
        Result skipping = cli("predict", "1", photos.resolve("test").toString(), "--db", db.toString());
        assertEquals(0, skipping.code(), skipping.err());
        assertEquals(31, skipping.out().strip().lines().count(), skipping.out());
        assertTrue(skipping.err().contains("Skipped 1 entry of " + photos.resolve("test") + " that is not an image "
                + "hpsearch reads (.png, .jpg, .jpeg, .bmp, .gif, .tif, .tiff): Bag/holiday.webp\n"), skipping.err());
        Files.delete(webp);

        Path one = photos.resolve("test/Trouser/0.png");
        Result single = cli("predict", "1", one.toString(), "--db", db.toString());
        assertEquals(0, single.code(), single.err());
        assertTrue(single.out().lines().skip(1).findFirst().orElseThrow().startsWith("0.png,"), single.out());

        Path corrupt = Files.write(dir.resolve("corrupt.png"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
        Result bad = cli("predict", "1", corrupt.toString(), "--db", db.toString());
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().startsWith("hpsearch: " + corrupt), bad.err());
    }

    /** Classes 1 (Trouser), 7 (Sneaker) and 8 (Bag) of the slice as PNG files in class folders. */
    private static void writePngs(Examples examples, Path root, int perClass) throws IOException {
        int[] written = new int[10];
        for (int i = 0; i < examples.size(); i++) {
            int label = examples.labels()[i];
            if ((label != 1 && label != 7 && label != 8) || written[label] >= perClass) {
                continue;
            }
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) {
                int v = Math.round(examples.features()[i * 784 + p] * 255);
                image.getRaster().setSample(p % 28, p / 28, 0, v);
            }
            Path folder = Files.createDirectories(root.resolve(FashionMnist.CLASS_NAMES.get(label)));
            ImageIO.write(image, "png", folder.resolve(written[label]++ + ".png").toFile());
        }
    }
}
