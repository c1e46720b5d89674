package io.hpsearch.cli;

import io.hpsearch.report.Text;
import io.hpsearch.report.TrialReport;
import io.hpsearch.data.Dataset;
import io.hpsearch.runner.ParallelismPolicy;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.runner.Throughput;
import io.hpsearch.space.PrunerSpec;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.space.TrainingSpec;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a hyperparameter search over a space file and print the trials ranked.",
                "Flags override the file's values. Ctrl-C stops cleanly: running trials are marked cancelled."})
final class RunCommand implements Callable<Integer> {
    /** Shell convention for a command ended by Ctrl-C. */
    static final int CANCELLED = 130;
    static final String TRIALS_STOP = "trials in flight end at their next minibatch and are marked cancelled";

    @Parameters(index = "0", paramLabel = "SPACE.yaml", description = "Search space file, e.g. spaces/fashion-mlp.yaml.")
    Path spaceFile;

    @Mixin
    StoreOptions store;

    @Mixin
    DataOptions data;

    @Mixin
    WorkerOptions pool;

    @Option(names = "--max-trials", paramLabel = "N", description = "Overrides max_trials.")
    Integer maxTrials;

    @Option(names = "--max-minutes", paramLabel = "M",
            description = "Overrides max_minutes: the run trains at most M minutes (decimals allowed).")
    Double maxMinutes;

    @Option(names = "--epochs", paramLabel = "N", description = "Overrides training.epochs.")
    Integer epochs;

    @Option(names = "--train-limit", paramLabel = "N",
            description = "Overrides training.train_limit: at most N training examples, for quick runs.")
    Integer trainLimit;

    @Option(names = "--seed", paramLabel = "N", description = "Overrides seed.")
    Long seed;

    @Option(names = "--no-work", description = "Record the run and leave its training to `worker` processes "
            + "(on this or other machines sharing --db).")
    boolean noWork;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // With --epochs, whether the pruner can stop a trial early is checked against those, not the file's.
        SpaceSpec space = withOverrides(epochs != null ? SpaceParser.parseWithOtherEpochs(spaceFile)
                : SpaceParser.parse(spaceFile));
        String yaml = Files.readString(spaceFile, StandardCharsets.UTF_8);
        ParallelismPolicy parallelism = pool.policy();
        Dataset dataset = data.load(space.dataset());
        // Checked before the database is opened: bad data stores nothing.
        SearchRunner.check(dataset, space);
        try (Store s = store.open()) {
            if (noWork) {
                long runId = SearchRunner.record(s, space, yaml, RunStatus.QUEUED);
                PrintWriter out = spec.commandLine().getOut();
                out.println("Run " + runId + " recorded; it waits for workers: ./hpsearch worker --db " + store.shown()
                        + " (on any machine with the same data)");
                out.flush();
                return 0;
            }
            ProgressDisplay progress = new ProgressDisplay(spec.commandLine().getOut(), space);
            SearchRunner runner = new SearchRunner(s, dataset, parallelism, progress)
                    .heartbeatGrace(store.heartbeatGrace());
            return trainAndReport(spec, s, store, progress, runner, () -> runner.run(space, yaml));
        }
    }

    /**
     * Trains with Ctrl-C handled, then prints the outcome: the ranking, the test evaluation, the throughput. Returns
     * the exit code. Shared by {@code run} and {@code resume}.
     */
    static int trainAndReport(CommandSpec spec, Store s, StoreOptions store, ProgressDisplay progress,
                              SearchRunner runner, Supplier<SearchRunner.Outcome> training) {
        PrintWriter out = spec.commandLine().getOut();
        SearchRunner.Outcome outcome;
        try (StopSignals signals = new StopSignals(spec.commandLine().getErr(), TRIALS_STOP, runner::cancel)) {
            outcome = training.get();
        } finally {
            progress.close();
        }
        out.println();
        out.println("Run " + outcome.runId() + " " + outcome.status().name().toLowerCase(Locale.ROOT) + ": "
                + outcome.message());
        new TrialReport(s.run(outcome.runId()).orElseThrow(), s.rankedTrials(outcome.runId(), 10))
                .print(out, TrialReport.Format.TABLE);
        outcome.test().ifPresent(test -> Text.testEvaluation(out, test));
        Throughput t = outcome.throughput();
        out.println();
        out.printf(Locale.ROOT, "Trained %,d examples in %s: %,.0f examples/s (%d worker(s) x %d ND4J thread(s))%n",
                t.examples(), Text.duration(Duration.ofMillis(Math.round(t.seconds() * 1000))),
                t.examplesPerSecond(), t.workers(), t.threadsPerWorker());
        out.println();
        out.println("All trials: ./hpsearch trials " + outcome.runId() + " --db " + store.shown());
        if (outcome.status() == RunStatus.CANCELLED) {
            out.println("Continue it later with: ./hpsearch resume " + outcome.runId() + " --db " + store.shown());
        }
        out.flush();
        return exitCode(outcome.status());
    }

    /** How a command that trained a run (run, resume, worker --run) exits when the run has ended so. */
    static int exitCode(RunStatus status) {
        return switch (status) {
            case COMPLETED -> 0;
            case CANCELLED -> CANCELLED;
            default -> 1;
        };
    }

    private SpaceSpec withOverrides(SpaceSpec space) {
        within("--max-trials", maxTrials, SpaceParser.MAX_TRIALS);
        within("--epochs", epochs, SpaceParser.MAX_EPOCHS);
        within("--train-limit", trainLimit, SpaceParser.MAX_TRAIN_LIMIT);
        TrainingSpec t = space.training();
        SpaceSpec out = space.withTraining(t.withEpochs(epochs != null ? epochs : t.epochs())
                .withTrainLimit(trainLimit != null ? trainLimit : t.trainLimit()));
        // Fewer epochs on purpose (a quick try) may leave a median or ASHA pruner nothing to do, and that is the
        // user's choice; Hyperband's brackets, whose max_resource is the epochs, cannot be built at all.
        if (epochs != null && out.options().pruner() instanceof PrunerSpec.Hyperband hyperband) {
            hyperband.idleWith(epochs).ifPresent(idle -> {
                throw new Main.UsageException("--epochs " + epochs + ": " + idle);
            });
        }
        if (maxTrials != null) {
            out = out.withMaxTrials(maxTrials);
        }
        if (seed != null) {
            out = out.withSeed(seed);
        }
        if (maxMinutes != null) {
            if (!SpaceSpec.validMinutes(maxMinutes)) {
                throw new Main.UsageException("--max-minutes " + SpaceSpec.MINUTES_RULE + ", was " + maxMinutes);
            }
            out = out.withTimeBudget(SpaceSpec.ofMinutes(maxMinutes));
        }
        return out;
    }

    /** As {@link #positive}, and at most {@code max}: the most the space file itself may give. */
    private static void within(String flag, Integer value, int max) {
        positive(flag, value);
        if (value != null && value > max) {
            throw new Main.UsageException(flag + " must be at most " + String.format(Locale.ROOT, "%,d", max)
                    + ", was " + value);
        }
    }

    static void positive(String flag, Integer value) {
        if (value != null && value < 1) {
            throw new Main.UsageException(flag + " must be at least 1, was " + value);
        }
    }
}
