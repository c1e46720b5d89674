package io.hpsearch.runner;

import io.hpsearch.store.Store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * For a long-lived process (the dashboard): marks runs whose process died as interrupted, every few seconds, so that
 * their pages say so and they can be resumed. Short commands call {@link Store#interruptStale} once instead.
 */
public final class Reaper implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hpsearch-reaper");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param grace how long a running run may go without a heartbeat before it counts as interrupted; the first
     *              sweep comes after one period, since opening the store has just done one
     */
    public Reaper(Store store, Duration grace) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                store.interruptStale(grace);
            } catch (RuntimeException e) {
                // The database is unreachable for longer than the store retries. A task that throws is never run
                // again: without this catch one outage would end every later sweep for the dashboard's life.
            }
        }, 5, 5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
