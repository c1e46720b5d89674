package io.hpsearch.cli;

import io.hpsearch.report.Text;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
final class RunsCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!store.exists()) {
            out.println("No runs yet: there is no database at " + store.shown() + ". Start one with: "
                    + "./hpsearch run spaces/fashion-mlp.yaml");
            return 0;
        }
        try (Store s = store.open()) {
            List<RunSummary> runs = s.runSummaries();
            if (runs.isEmpty()) {
                out.println("No runs yet in " + store.shown() + ". Start one with: ./hpsearch run spaces/fashion-mlp.yaml");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (RunSummary r : runs) {
                Instant end = r.run().finishedAt() != null ? r.run().finishedAt() : Instant.now();
                rows.add(List.of(
                        String.valueOf(r.run().id()),
                        r.run().name(),
                        r.run().status().name().toLowerCase(Locale.ROOT),
                        r.completed() + "/" + r.pruned() + "/" + r.failed() + "/" + r.total(),
                        r.run().objective().key(),
                        Text.score(r.bestScore()),
                        Text.percent(r.testAccuracy()),
                        Text.instant(r.run().createdAt()),
                        Text.duration(Duration.between(r.run().createdAt(), end))));
            }
            Text.table(out, List.of("id", "name", "status", "done/pruned/failed/all", "objective", "best", "test acc",
                    "started", "duration"), rows);
            runs.stream().filter(r -> r.run().status() == RunStatus.INTERRUPTED).findFirst().ifPresent(r ->
                    out.println("An interrupted run goes on where it stopped with: ./hpsearch resume "
                            + r.run().id() + " --db " + store.shown()));
            return 0;
        }
    }
}
