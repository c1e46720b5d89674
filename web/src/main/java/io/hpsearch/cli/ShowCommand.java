package io.hpsearch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hpsearch.report.Text;
import io.hpsearch.report.TrialReport;
import io.hpsearch.report.Views;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one run: its status, best trials and the best network's test evaluation.")
final class ShowCommand implements Callable<Integer> {
    enum Format { TEXT, JSON }

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run, as 'hpsearch runs' lists it.")
    long runId;

    @Option(names = "--format", defaultValue = "text",
            description = "text, or json (the dashboard API's shape for GET /api/runs/{id}) (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openExisting()) {
            RunSummary summary = s.runSummary(runId).orElseThrow(() -> new Main.UsageException(
                    "no run " + runId + " in " + store.shown() + "; 'hpsearch runs' lists the runs there"));
            if (format == Format.JSON) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(Views.RunDetail.of(s, summary)));
            } else {
                var run = summary.run();
                out.printf(Locale.ROOT, "Run %d '%s': %s, %s search, objective %s, seed %d%n", run.id(), run.name(),
                        run.status().name().toLowerCase(Locale.ROOT), run.searchKind(), run.objective().key(),
                        run.seed());
                if (run.message() != null) {
                    out.println(run.message());
                }
                Text.runData(out, io.hpsearch.report.RunData.of(s, runId));
                out.println();
                new TrialReport(run, s.rankedTrials(runId, 10)).print(out, TrialReport.Format.TABLE);
                s.testEvaluation(runId).ifPresent(test -> Text.testEvaluation(out, test));
            }
            out.flush();
            return 0;
        }
    }
}
