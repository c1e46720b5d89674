package io.hpsearch.cli;

import io.hpsearch.data.DataException;
import io.hpsearch.data.Dataset;
import io.hpsearch.runner.ResumeException;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A process that works on the runs of a shared database: any number of them, on any number of machines, train the
 * trials of the same runs. It joins running runs, starts queued ones (launched from a dashboard or with
 * {@code run --no-work}) and resumes runs whose every worker died, oldest first, until none is left.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Work on the unfinished runs of a database, alongside other workers on this or other "
                + "machines, until none is left (or for ever).",
                "Joins running runs, starts queued ones and resumes interrupted ones, oldest first. Ctrl-C stops "
                        + "cleanly: the trials it trains are marked cancelled."})
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Mixin
    DataOptions data;

    @Mixin
    WorkerOptions pool;

    @Option(names = "--run", paramLabel = "ID", description = "Work on this run only, until it ends.")
    Long runId;

    @Option(names = "--forever", description = "When no run is left, wait for new ones instead of exiting.")
    boolean forever;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "5",
            description = "With --forever, how often to look for new runs (default: ${DEFAULT-VALUE}).")
    int pollSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        RunCommand.positive("--poll", pollSeconds);
        pool.check();
        PrintWriter out = spec.commandLine().getOut();
        AtomicBoolean stopping = new AtomicBoolean();
        SearchRunner[] current = new SearchRunner[1];
        // A worker only takes runs launched elsewhere: an H2 file that is not there is a mistyped --db, not a new store.
        try (Store s = store.openExisting();
             StopSignals signals = new StopSignals(spec.commandLine().getErr(), RunCommand.TRIALS_STOP, () -> {
                 stopping.set(true);
                 if (current[0] != null) {
                     current[0].cancel();
                 }
             })) {
            if (runId != null && s.run(runId).isEmpty()) {
                throw new Main.UsageException("there is no run " + runId + " in " + store.shown()
                        + "; ./hpsearch runs lists them");
            }
            // Runs this worker cannot serve (its data differ here): told once, then left to other workers.
            Set<Long> refused = new HashSet<>();
            while (!stopping.get()) {
                Optional<Run> next = nextRun(s, refused);
                if (next.isEmpty()) {
                    if (runId != null) {
                        Run run = s.run(runId).orElseThrow();
                        out.println("Run " + runId + " is " + run.status().name().toLowerCase(Locale.ROOT)
                                + (run.message() != null ? ": " + run.message() : ""));
                        out.flush();
                        return refused.contains(runId) ? 2 : RunCommand.exitCode(run.status());
                    }
                    if (!forever) {
                        out.println("No unfinished run left in " + store.shown() + ".");
                        out.flush();
                        return 0;
                    }
                    Thread.sleep(pollSeconds * 1000L);
                    continue;
                }
                Run run = next.get();
                try {
                    SearchRunner.Outcome outcome = work(s, run, current);
                    // A queued run another worker started first is still running: the next turn joins it.
                    if (outcome.status().isFinished()) {
                        out.println("Run " + outcome.runId() + " " + outcome.status().name().toLowerCase(Locale.ROOT)
                                + ": " + outcome.message());
                        out.flush();
                    }
                } catch (ResumeException | DataException e) {
                    refused.add(run.id());
                    spec.commandLine().getErr().println("Not working on run " + run.id() + ": " + e.getMessage());
                    spec.commandLine().getErr().flush();
                }
                if (runId != null) {
                    RunStatus status = s.run(runId).orElseThrow().status();
                    // An interrupted run is taken up again on the next turn, by this worker or another.
                    if (status.isFinished() && status != RunStatus.INTERRUPTED) {
                        return RunCommand.exitCode(status);
                    }
                }
            }
            return RunCommand.CANCELLED;
        }
    }

    /** The oldest run that needs a worker: running, queued, or interrupted (every worker died). */
    private Optional<Run> nextRun(Store s, Set<Long> refused) {
        List<Run> candidates = s.runSummaries().stream().map(RunSummary::run)
                .filter(r -> runId == null || r.id() == runId)
                .filter(r -> r.status() == RunStatus.RUNNING || r.status() == RunStatus.QUEUED
                        || r.status() == RunStatus.INTERRUPTED)
                .filter(r -> !refused.contains(r.id()))
                .sorted(Comparator.comparingLong(Run::id)).toList();
        return candidates.stream().findFirst();
    }

    private SearchRunner.Outcome work(Store s, Run run, SearchRunner[] current) {
        SpaceSpec space = SearchRunner.storedSpec(run);
        // The data's hashes before the data is parsed: a worker whose files differ says which, and trains nothing.
        SearchRunner.checkSameData(s, run.id(), data.fingerprint(space.dataset()));
        Dataset dataset = data.load(space.dataset());
        try (ProgressDisplay progress = new ProgressDisplay(spec.commandLine().getOut(), space)) {
            SearchRunner runner = new SearchRunner(s, dataset, pool.policy(), progress)
                    .heartbeatGrace(store.heartbeatGrace());
            current[0] = runner;
            return switch (run.status()) {
                case QUEUED -> runner.run(run.id(), space);
                case INTERRUPTED -> runner.resume(run.id());
                default -> runner.join(run.id());
            };
        }
    }
}
