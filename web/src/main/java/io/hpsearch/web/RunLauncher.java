package io.hpsearch.web;

import io.hpsearch.data.DataException;
import io.hpsearch.data.Dataset;
import io.hpsearch.runner.ParallelismPolicy;
import io.hpsearch.runner.RunListener;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.Run;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.RunSummary;
import io.hpsearch.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs launched from the dashboard, one at a time on the server's worker pool: a run waits as QUEUED until the
 * runs before it have finished. Cancelling goes through the store, so it reaches runs of other processes too.
 */
public final class RunLauncher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLauncher.class);

    private final Store store;
    private final DataAccess data;
    private final ParallelismPolicy parallelism;
    private final Duration heartbeatGrace;
    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> new Thread(r, "hpsearch-runs"));
    private final AtomicReference<SearchRunner> active = new AtomicReference<>();
    private final Set<Long> waiting = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param data reads each run's data when its turn comes (a dashboard that only browses never reads any)
     */
    public RunLauncher(Store store, DataAccess data, ParallelismPolicy parallelism, Duration heartbeatGrace) {
        this.store = store;
        this.data = data;
        this.parallelism = parallelism;
        this.heartbeatGrace = heartbeatGrace;
    }

    /**
     * Queues every run the store holds as QUEUED: ones launched from a dashboard that stopped before their turn, or
     * queued for workers (run --no-work). Should another live dashboard have queued them too, the store lets only
     * one of the two start each run. One whose data this dashboard cannot read (outside its data root, or on
     * another machine) is left QUEUED for a worker that can, not failed.
     */
    public void adoptQueued() {
        store.runSummaries().stream().map(RunSummary::run).filter(run -> run.status() == RunStatus.QUEUED)
                .sorted(Comparator.comparingLong(Run::id))
                .forEach(run -> enqueue(run.id(), SearchRunner.storedSpec(run), true));
    }

    /**
     * Records the run as QUEUED and returns its id; it starts when the runs before it are done.
     *
     * The space's data has been read and checked (see {@link SearchRunner#check}); it is read again when the run's
     * turn comes, so that queued runs do not each hold their data in memory while they wait.
     */
    public long launch(SpaceSpec spec, String spaceYaml) {
        long runId = SearchRunner.record(store, spec, spaceYaml, RunStatus.QUEUED);
        enqueue(runId, spec, false);
        return runId;
    }

    /**
     * Queues an interrupted or cancelled run to be continued (see {@link SearchRunner#resume}).
     *
     * @throws io.hpsearch.runner.ResumeException when the run cannot be resumed
     */
    public void resume(long runId) {
        // The run's state, then its data (under the data root, unchanged), before anything changes: a refusal says
        // why, and a run whose data changed is refused here rather than failing later.
        SpaceSpec spec = SearchRunner.storedSpec(SearchRunner.resumable(store, runId));
        SearchRunner.checkSameData(store, runId, data.fingerprint(spec.dataset()));
        enqueue(runId, SearchRunner.takeOver(store, runId, RunStatus.QUEUED), false);
    }

    /**
     * Puts a QUEUED run in line behind the runs before it; its data is read when its turn comes.
     *
     * @param adopted queued by another process: when its data cannot be read here, it is left to the others
     */
    private void enqueue(long runId, SpaceSpec spec, boolean adopted) {
        waiting.add(runId);
        queue.submit(() -> runQueued(runId, spec, adopted));
    }

    private void runQueued(long runId, SpaceSpec spec, boolean adopted) {
        waiting.remove(runId);
        if (closed.get()) {
            return; // the dashboard is stopping, and close() has cancelled the runs still waiting
        }
        if (store.run(runId).map(run -> run.status() != RunStatus.QUEUED).orElse(true)) {
            return; // cancelled while it waited, or taken by a worker: its data need not be read
        }
        Dataset dataset;
        try {
            // Through the data root: a queued run adopted from another dashboard may name paths outside it.
            dataset = data.load(spec.dataset());
        } catch (DataException e) {
            if (adopted) {
                LOG.warn("run {} stays queued for a worker that can read its data: {}", runId, e.getMessage());
                return;
            }
            if (store.startRun(runId)) {
                store.finishRun(runId, RunStatus.FAILED, e.getMessage());
            }
            return;
        }
        SearchRunner runner = new SearchRunner(store, dataset, parallelism, RunListener.NONE)
                .heartbeatGrace(heartbeatGrace);
        active.set(runner);
        try {
            runner.run(runId, spec);
        } catch (RuntimeException e) {
            // The runner has recorded the run as failed with this reason, or, when the database stayed unreachable,
            // left it to its heartbeat (interrupted, to be resumed); the server keeps serving.
            LOG.error("run {} failed", runId, e);
        } finally {
            active.set(null);
        }
    }

    /** Stops the run in progress cleanly (its trials in flight are marked cancelled) and drops queued ones. */
    @Override
    public void close() {
        // Not shutdownNow: an interrupt during a store write closes an H2 database (see SearchRunner.stopWatcher).
        // Queued runs are skipped instead, and the run in progress stops at its next minibatch.
        closed.set(true);
        queue.shutdown();
        waiting.forEach(store::requestCancel);
        SearchRunner runner = active.get();
        if (runner != null) {
            runner.cancel();
        }
        try {
            if (!queue.awaitTermination(2, TimeUnit.MINUTES)) {
                LOG.warn("the run in progress did not stop within 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
