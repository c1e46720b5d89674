package io.hpsearch.cli;

import io.hpsearch.data.Dataset;
import io.hpsearch.runner.ResumeException;
import io.hpsearch.runner.ParallelismPolicy;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceSpec;
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
        pool.check(); // before the data is hashed: a bad count costs nothing to refuse
        try (Store s = store.openExisting()) {
            s.run(runId).orElseThrow(() -> new Main.UsageException("there is no run " + runId + " in "
                    + store.shown() + "; ./hpsearch runs lists them"));
            SpaceSpec space;
            try {
                // The run's state, then its data's hashes, before any data is parsed: each refusal says its reason.
                space = SearchRunner.storedSpec(SearchRunner.resumable(s, runId));
                SearchRunner.checkSameData(s, runId, data.fingerprint(space.dataset()));
            } catch (ResumeException e) {
                throw new Main.UsageException(e.getMessage());
            }
            ParallelismPolicy parallelism = pool.policy();
            Dataset dataset = data.load(space.dataset());
            ProgressDisplay progress = new ProgressDisplay(spec.commandLine().getOut(), space);
            SearchRunner runner = new SearchRunner(s, dataset, parallelism, progress)
                    .heartbeatGrace(store.heartbeatGrace());
            try {
                return RunCommand.trainAndReport(spec, s, store, progress, runner, () -> runner.resume(runId));
            } catch (ResumeException e) {
                throw new Main.UsageException(e.getMessage());
            }
        }
    }
}
