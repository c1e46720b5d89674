package io.hpsearch.cli;

import io.hpsearch.report.TrialReport;
import io.hpsearch.store.Run;
import io.hpsearch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "trials", mixinStandardHelpOptions = true,
        description = "Print a run's trials ranked by its objective, best first, with their parameters and scores.")
final class TrialsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "Run id, as listed by 'hpsearch runs'.")
    long runId;

    @Option(names = "--format", defaultValue = "table",
            description = "Output format: table, csv or json (default: ${DEFAULT-VALUE}).")
    TrialReport.Format format;

    @Option(names = "--top", paramLabel = "K", description = "Only the K best trials (default: all).")
    int top;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (top < 0) {
            throw new Main.UsageException("--top must be 0 or more, was " + top);
        }
        try (Store s = store.openExisting()) {
            Run run = s.run(runId).orElseThrow(() -> new Main.UsageException(
                    "no run " + runId + " in " + store.shown() + "; 'hpsearch runs' lists the runs there"));
            new TrialReport(run, s.rankedTrials(runId, top)).print(spec.commandLine().getOut(), format);
            return 0;
        }
    }
}
