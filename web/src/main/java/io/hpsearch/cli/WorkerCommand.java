package io.hpsearch.cli;

import io.hpsearch.data.DataException;
import io.hpsearch.data.Dataset;
import io.hpsearch.runner.DataMismatchException;
import io.hpsearch.runner.ResumeException;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.Store;
import io.hpsearch.store.StoreUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

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
        AtomicReference<SearchRunner> current = new AtomicReference<>();
        // A worker only takes runs launched elsewhere: an H2 file that is not there is a mistyped --db, not a new store.
        try (Store s = store.openExisting();
             StopSignals signals = new StopSignals(spec.commandLine().getErr(), RunCommand.TRIALS_STOP, () -> {
                 stopping.set(true);
                 SearchRunner runner = current.get();
                 if (runner != null) {
                     runner.cancel();
                 }
             })) {
            if (runId != null && s.run(runId).isEmpty()) {
                throw new Main.UsageException("there is no run " + runId + " in " + store.shown()
                        + "; ./hpsearch runs lists them");
            }
            Outage outage = new Outage(spec.commandLine().getErr());
            Turns turns = new Turns(s, out, current, stopping, outage);
            while (!stopping.get()) {
                Optional<Integer> exit;
                try {
                    exit = turns.next();
                } catch (StoreUnavailableException e) {
                    // A run in progress is left as a dead process leaves it: interrupted once the grace passes, then
                    // resumed or joined (by this worker too, once the database is back).
                    outage.waitOut(e);
                    continue;
                }
                if (exit.isPresent()) {
                    return exit.get();
                }
            }
            return RunCommand.CANCELLED;
        }
    }

    /** The worker's turns: each takes the oldest run that needs a worker and works on it. */
    private final class Turns {
        private final Store s;
        private final PrintWriter out;
        private final AtomicReference<SearchRunner> current;
        private final AtomicBoolean stopping;
        private final Outage outage;
        /** Runs not to take again, told once: their data differ here, or nobody can take them up as they are. */
        private final Set<Long> refused = new TreeSet<>();
        /** Of those, the ones another worker with other data can serve: the exit says the work is not done. */
        private final Set<Long> unserved = new TreeSet<>();

        Turns(Store s, PrintWriter out, AtomicReference<SearchRunner> current, AtomicBoolean stopping,
              Outage outage) {
            this.s = s;
            this.out = out;
            this.current = current;
            this.stopping = stopping;
            this.outage = outage;
        }

        /** One turn; the exit code when the worker is done. */
        Optional<Integer> next() throws InterruptedException {
            Optional<Run> next = nextRun(s, refused);
            outage.over(); // the database answered: said at once, not after the run this turn may work on
            if (next.isEmpty()) {
                return nothingLeft();
            }
            Run run = next.get();
            try {
                Optional<SearchRunner.Outcome> outcome = work(s, run, current, stopping);
                // A queued run another worker started first is still running: the next turn joins it.
                if (outcome.isPresent() && outcome.get().status().isFinished()) {
                    out.println("Run " + outcome.get().runId() + " "
                            + outcome.get().status().name().toLowerCase(Locale.ROOT) + ": "
                            + outcome.get().message());
                    out.flush();
                }
            } catch (ResumeException | DataException e) {
                // Two workers resuming one interrupted run at once: the one that lost finds it running, and joins
                // it on the next turn. A refusal stands only when the run is still as this worker saw it.
                boolean moved = e instanceof ResumeException
                        && s.run(run.id()).map(Run::status).orElse(run.status()) != run.status();
                if (!moved) {
                    refused.add(run.id());
                    if (e instanceof DataException || e instanceof DataMismatchException) {
                        unserved.add(run.id());
                    }
                    spec.commandLine().getErr().println("Not working on run " + run.id() + ": " + e.getMessage());
                    spec.commandLine().getErr().flush();
                }
            }
            if (runId != null) {
                RunStatus status = s.run(runId).orElseThrow().status();
                // An interrupted run is taken up again on the next turn, by this worker or another.
                if (status.isFinished() && status != RunStatus.INTERRUPTED) {
                    return Optional.of(RunCommand.exitCode(status));
                }
            }
            return Optional.empty();
        }

        private Optional<Integer> nothingLeft() throws InterruptedException {
            if (runId != null) {
                Run run = s.run(runId).orElseThrow();
                out.println("Run " + runId + " is " + run.status().name().toLowerCase(Locale.ROOT)
                        + (run.message() != null ? ": " + run.message() : ""));
                out.flush();
                return Optional.of(refused.contains(runId) ? Main.BAD_INPUT : RunCommand.exitCode(run.status()));
            }
            if (forever) {
                Thread.sleep(pollSeconds * 1000L);
                return Optional.empty();
            }
            if (refused.isEmpty()) {
                out.println("No unfinished run left in " + store.shown() + ".");
                out.flush();
                return Optional.of(0);
            }
            // Runs another worker finished meanwhile are no longer this worker's concern.
            List<Long> notServed = unserved.stream()
                    .filter(id -> s.run(id).map(r -> needsWorker(r.status())).orElse(false)).toList();
            List<Long> leftAsTheyAre = refused.stream().filter(id -> !unserved.contains(id)).toList();
            StringBuilder line = new StringBuilder("No unfinished run left in " + store.shown()
                    + " that this worker can work on");
            if (!notServed.isEmpty()) {
                line.append("; not worked on (their data differ or are missing here): ").append(runs(notServed));
            }
            if (!leftAsTheyAre.isEmpty()) {
                line.append("; left as they are: ").append(runs(leftAsTheyAre));
            }
            out.println(line.append(" (see why above)."));
            out.flush();
            // The exit says the work is not done where a worker with the run's data could do it.
            return Optional.of(notServed.isEmpty() ? 0 : Main.BAD_INPUT);
        }

        private static String runs(List<Long> ids) {
            return ids.stream().map(id -> "run " + id).collect(Collectors.joining(", "));
        }
    }

    /**
     * A database that stays unreachable past the store's retries. Without --forever the worker ends, saying so; with
     * it, the worker says so once and keeps looking every --poll seconds, and says when the database is back.
     */
    private final class Outage {
        private final PrintWriter err;
        private boolean reported;

        Outage(PrintWriter err) {
            this.err = err;
        }

        void waitOut(StoreUnavailableException e) throws InterruptedException {
            if (!forever) {
                throw e;
            }
            if (!reported) {
                reported = true;
                err.println("hpsearch: " + e.getMessage() + "; with --forever this worker keeps trying, every "
                        + pollSeconds + " s");
                err.flush();
            }
            Thread.sleep(pollSeconds * 1000L);
        }

        void over() {
            if (reported) {
                reported = false;
                err.println("hpsearch: the database is reachable again; looking for runs");
                err.flush();
            }
        }
    }

    /** Whether a run in this state is a worker's to take: running, queued, or interrupted (every worker died). */
    private static boolean needsWorker(RunStatus status) {
        return !status.isFinished() || status == RunStatus.INTERRUPTED;
    }

    /** The oldest run that needs a worker. */
    private Optional<Run> nextRun(Store s, Set<Long> refused) {
        List<Run> candidates = s.runSummaries().stream().map(RunSummary::run)
                .filter(r -> runId == null || r.id() == runId)
                .filter(r -> needsWorker(r.status()))
                .filter(r -> !refused.contains(r.id()))
                .sorted(Comparator.comparingLong(Run::id)).toList();
        return candidates.stream().findFirst();
    }

    /**
     * Works on the run; empty when Ctrl-C came while the data were read, before anything of the run was touched.
     */
    private Optional<SearchRunner.Outcome> work(Store s, Run run, AtomicReference<SearchRunner> current,
                                                AtomicBoolean stopping) {
        if (run.status() == RunStatus.INTERRUPTED) {
            SearchRunner.resumable(s, run.id()); // a run nobody can resume is told before its data are read
        }
        SpaceSpec space = SearchRunner.storedSpec(run);
        // The data's hashes before the data is parsed: a worker whose files differ says which, and trains nothing.
        SearchRunner.checkSameData(s, run.id(), data.fingerprint(space.dataset()));
        Dataset dataset = data.load(space.dataset());
        try (ProgressDisplay progress = new ProgressDisplay(spec.commandLine().getOut(), space)) {
            SearchRunner runner = new SearchRunner(s, dataset, pool.policy(), progress)
                    .heartbeatGrace(store.heartbeatGrace());
            current.set(runner);
            // Set before the check: a signal from here on finds the runner and cancels it.
            if (stopping.get()) {
                return Optional.empty();
            }
            return Optional.of(switch (run.status()) {
                case QUEUED -> runner.run(run.id(), space);
                case INTERRUPTED -> runner.resume(run.id());
                default -> runner.join(run.id());
            });
        }
    }
}
