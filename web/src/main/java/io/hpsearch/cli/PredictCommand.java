package io.hpsearch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hpsearch.data.DataException;
import io.hpsearch.data.Encoding;
import io.hpsearch.data.images.ImageFolders;
import io.hpsearch.model.ModelFile;
import io.hpsearch.model.Predictor;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.store.Run;
import io.hpsearch.store.Store;
import io.hpsearch.store.StoredModel;
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
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

    /** The model that predicts: a file, and how the summary and errors name it. */
    private record Source(Path file, String shown, String note) {
    }

    @Override
    public Integer call() throws IOException {
        checkOutput();
        Source source = model();
        ModelFile.Model model;
        try {
            model = ModelFile.read(source.file());
        } catch (DataException e) {
            // A run's model is read from a temporary copy: name the run, not the copy.
            String message = e.getMessage();
            throw message.startsWith(source.file().toString()) ? new DataException(source.shown()
                    + message.substring(source.file().toString().length()), e) : e;
        }
        Encoding.Inputs inputs = model.encoding().read(input, model.classes());
        Predictor.Predictions predictions = Predictor.predict(model, inputs);
        PrintWriter out = spec.commandLine().getOut();
        if (output == null) {
            write(predictions, out);
            out.flush();
        } else {
            writeOutput(predictions);
        }
        // The summary goes beside the rows, never among them: on standard error when the rows are on standard output.
        PrintWriter summary = output == null ? spec.commandLine().getErr() : out;
        summary.printf(Locale.ROOT, "Predicted %,d example(s) with %s%s%n", predictions.ids().size(), source.shown(),
                output == null ? "" : "; written to " + output);
        if (source.note() != null) {
            summary.println(source.note());
        }
        if (!inputs.skipped().isEmpty()) {
            summary.println(ImageFolders.skippedNote(input.toString(), inputs.skipped()));
        }
        if (predictions.labelled()) {
            int labelled = predictions.labelledCount();
            summary.printf(Locale.ROOT, "Accuracy: %.2f %% (%,d labelled examples%s)%n", 100 * predictions.accuracy(),
                    labelled, labelled == predictions.ids().size() ? "" : String.format(Locale.ROOT,
                            "; %,d more without a label, not counted", predictions.ids().size() - labelled));
        }
        summary.flush();
        return 0;
    }

    private boolean isRunId() {
        return run.matches("\\d{1,18}");
    }

    /**
     * Refuses, before anything is read, an --output that cannot be written or that would replace the examples or
     * the model: the file is replaced only once every prediction is written.
     */
    private void checkOutput() {
        if (output == null) {
            return;
        }
        try {
            checkOutputFile();
        } catch (IOException e) {
            throw new Main.UsageException("--output " + output + ": cannot check it (" + reason(e) + ")");
        }
    }

    private void checkOutputFile() throws IOException {
        if (Files.isDirectory(output)) {
            throw new Main.UsageException("--output " + output + ": is a folder; give the name of a file to write");
        }
        Path folder = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new Main.UsageException("--output " + output + ": the folder " + folder + " does not exist");
        }
        if (Files.exists(output) && Files.exists(input) && Files.isSameFile(output, input)) {
            throw new Main.UsageException("--output " + output + ": is the INPUT file, which the predictions would "
                    + "replace; choose another file");
        }
        if (Files.exists(output) && !isRunId() && Files.exists(Path.of(run))
                && Files.isSameFile(output, Path.of(run))) {
            throw new Main.UsageException("--output " + output + ": is the model file, which the predictions would "
                    + "replace; choose another file");
        }
    }

    /**
     * Writes the predictions beside --output and then moves them there: a failure leaves any earlier file whole. A
     * link, a device or a pipe (--output /dev/stdout) is written through, as before.
     */
    private void writeOutput(Predictor.Predictions predictions) {
        Path target = output.toAbsolutePath();
        Path tmp = null;
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                    write(predictions, w);
                }
                return;
            }
            // Created as any new file is (the umask's permissions, not createTempFile's owner-only ones).
            tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try (Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(tmp,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), StandardCharsets.UTF_8))) {
                write(predictions, w);
            }
            if (Files.isRegularFile(target)) {
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
                } catch (UnsupportedOperationException notPosix) {
                    // the file system keeps no POSIX permissions to carry over
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            String message = "--output " + output + ": cannot write it (" + reason(e) + "); nothing was written";
            // A path the user can change is bad input (2); a full disk or an I/O error is the machine's (1), as on
            // standard output.
            boolean thePath = e instanceof AccessDeniedException || e instanceof NoSuchFileException
                    || e instanceof java.nio.file.NotDirectoryException;
            throw thePath ? new Main.UsageException(message) : new Main.MachineException(message);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move took it, or the folder went away: nothing left to clean
                }
            }
        }
    }

    /** What went wrong with a file, in words: NoSuchFileException's message is only the path. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }

    /** A run's best model, or the model file given instead of a run id. */
    private Source model() {
        if (!isRunId()) {
            Path file = Path.of(run);
            if (!Files.isRegularFile(file)) {
                throw new Main.UsageException(run + ": neither a run id nor a model file");
            }
            return new Source(file, file.toString(), null);
        }
        long runId = Long.parseLong(run);
        try (Store s = store.openExisting()) {
            Run stored = s.run(runId).orElseThrow(() -> new Main.UsageException("there is no run " + runId + " in "
                    + store.shown() + "; ./hpsearch runs lists them"));
            // The stored model (the zip and its trial) is read once; bestModel's fallback only where there is none.
            Optional<StoredModel> best = s.model(runId);
            byte[] zip = best.map(StoredModel::zip).or(() -> SearchRunner.bestModel(s, runId))
                    .orElseThrow(() -> new Main.UsageException("run " + runId + " has no completed trial yet, so no "
                            + "model to predict with"));
            String shown = "run " + runId + "'s best network" + best.map(m -> " (trial " + m.trialNumber() + ")")
                    .orElse("");
            String note = !stored.status().isFinished() ? "Run " + runId + " is " + stored.status().name()
                    .toLowerCase(Locale.ROOT) + ": this is its best network so far, and may change as it goes on"
                    : null;
            // The model is in the database: predicting reads it from a file like any model the user passes.
            Path file = Files.createTempFile("hpsearch-run-" + runId + "-", ".zip");
            file.toFile().deleteOnExit();
            Files.write(file, zip);
            return new Source(file, shown, note);
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
                    row.put("label", p.labels()[i] < 0 ? null : p.classes().get(p.labels()[i]));
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
                row.add(p.labels()[i] < 0 ? "" : p.classes().get(p.labels()[i]));
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
