package io.hpsearch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.model.ModelFile;
import io.hpsearch.model.Predictor;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify new examples with a run's best network.",
                "INPUT is a CSV with the training columns (the label column optional) or an image file or folder "
                        + "(a folder of class subfolders counts as labelled). One row per example: its id, the "
                        + "predicted class and one probability per class; with labels, the accuracy too."})
final class PredictCommand implements Callable<Integer> {
    enum Format { CSV, JSON }

    @Parameters(index = "0", paramLabel = "RUN_ID",
            description = "The run whose best network predicts (see ./hpsearch runs), or a model file (.zip) "
                    + "downloaded from the dashboard.")
    String run;

    @Parameters(index = "1", paramLabel = "INPUT", description = "A CSV file, an image, or a folder of images.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the predictions here (default: standard "
            + "output).")
    Path output;

    @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv",
            description = "csv (default) or json.")
    Format format;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path modelFile = modelFile();
        ModelFile.Model model = ModelFile.read(modelFile);
        Predictor.Predictions predictions = Predictor.predict(model, model.encoding().read(input, model.classes()));
        PrintWriter out = spec.commandLine().getOut();
        if (output == null) {
            write(predictions, out);
            out.flush();
        } else {
            try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                write(predictions, w);
            } catch (IOException e) {
                throw new Main.UsageException("--output " + output + ": cannot write it (" + e.getMessage() + ")");
            }
        }
        // The summary goes beside the rows, never among them: on standard error when the rows are on standard output.
        PrintWriter summary = output == null ? spec.commandLine().getErr() : out;
        summary.printf(Locale.ROOT, "Predicted %,d example(s) with %s%s%n", predictions.ids().size(), modelFile,
                output == null ? "" : "; written to " + output);
        if (predictions.labelled()) {
            summary.printf(Locale.ROOT, "Accuracy: %.2f %% (%,d labelled examples)%n", 100 * predictions.accuracy(),
                    predictions.ids().size());
        }
        summary.flush();
        return 0;
    }

    /** A run's best model file, or the model file given instead of a run id. */
    private Path modelFile() {
        if (!run.matches("\\d{1,18}")) {
            Path file = Path.of(run);
            if (!Files.isRegularFile(file)) {
                throw new Main.UsageException(run + ": neither a run id nor a model file");
            }
            return file;
        }
        long runId = Long.parseLong(run);
        try (Store s = store.openExisting()) {
            s.run(runId).orElseThrow(() -> new Main.UsageException("there is no run " + runId + " in " + store.shown()
                    + "; ./hpsearch runs lists them"));
            byte[] zip = SearchRunner.bestModel(s, runId).orElseThrow(() -> new Main.UsageException("run " + runId
                    + " has no completed trial, so no model to predict with"));
            // The model is in the database: predicting reads it from a file like any model the user passes.
            Path file = Files.createTempFile("hpsearch-run-" + runId + "-", ".zip");
            file.toFile().deleteOnExit();
            Files.write(file, zip);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write run " + runId + "'s model to a temporary file: "
                    + e.getMessage(), e);
        }
    }

    private void write(Predictor.Predictions p, Writer w) throws IOException {
        int classes = p.classes().size();
        if (format == Format.JSON) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < p.ids().size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", p.ids().get(i));
                row.put("predicted", p.classes().get(p.predicted()[i]));
                if (p.labelled()) {
                    row.put("label", p.classes().get(p.labels()[i]));
                }
                Map<String, Object> probabilities = new LinkedHashMap<>();
                for (int c = 0; c < classes; c++) {
                    probabilities.put(p.classes().get(c), p.probabilities()[i * classes + c]);
                }
                row.put("probabilities", probabilities);
                rows.add(row);
            }
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(new NonClosing(w), rows);
            w.write(System.lineSeparator());
            return;
        }
        List<String> header = new ArrayList<>(List.of("id", "predicted"));
        if (p.labelled()) {
            header.add("label");
        }
        p.classes().forEach(c -> header.add("p_" + c));
        w.write(csvLine(header));
        for (int i = 0; i < p.ids().size(); i++) {
            List<String> row = new ArrayList<>(List.of(p.ids().get(i), p.classes().get(p.predicted()[i])));
            if (p.labelled()) {
                row.add(p.classes().get(p.labels()[i]));
            }
            for (int c = 0; c < classes; c++) {
                row.add(String.format(Locale.ROOT, "%.6f", p.probabilities()[i * classes + c]));
            }
            w.write(csvLine(row));
        }
    }

    private static String csvLine(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String c : cells) {
            quoted.add(c.matches(".*[,\"\\r\\n].*") || c.startsWith(" ") || c.endsWith(" ")
                    ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        return String.join(",", quoted) + "\n";
    }

    /** Jackson closes what it writes to; the caller owns the writer. */
    private static final class NonClosing extends java.io.FilterWriter {
        NonClosing(Writer w) {
            super(w);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
