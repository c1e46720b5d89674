package io.hpsearch.cli;

import io.hpsearch.data.Dataset;
import io.hpsearch.runner.ResumeException;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.Run;
import io.hpsearch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue an interrupted or cancelled run where it stopped.",
                "Completed and failed trials are kept; trials that were cut off are trained again; the search goes "
                        + "on without repeating a network until the run has its planned trials."})
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to continue (see ./hpsearch runs).")
    long runId;

    @Mixin
    StoreOptions store;

    @Mixin
    DataOptions data;

    @Mixin
    WorkerOptions pool;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Store s = store.openExisting()) {
            Run run = s.run(runId).orElseThrow(() -> new Main.UsageException("there is no run " + runId + " in "
                    + store.db + "; ./hpsearch runs lists them"));
            SpaceSpec space = SearchRunner.storedSpec(run);
            int workers = pool.workers(SearchRunner.plannedTrials(space));
            int threads = pool.threads(workers);
            Dataset dataset = data.load(space.dataset());
            try {
                SearchRunner.checkSameData(s, runId, dataset);
            } catch (ResumeException e) {
                throw new Main.UsageException(e.getMessage());
            }
            ProgressDisplay progress = new ProgressDisplay(spec.commandLine().getOut(), space);
            SearchRunner runner = new SearchRunner(s, dataset, store.modelDir(), workers, threads, progress);
            try {
                return RunCommand.trainAndReport(spec, s, store, progress, runner, () -> runner.resume(runId));
            } catch (ResumeException e) {
                throw new Main.UsageException(e.getMessage());
            }
        }
    }
}
