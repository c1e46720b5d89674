package io.hpsearch.web;

import io.hpsearch.runner.ParallelismPolicy;
import io.hpsearch.runner.SearchRunner;
import io.hpsearch.store.Store;
import io.javalin.Javalin;

import java.time.Duration;
import java.util.Optional;

/** The dashboard wired up and listening: the server, its API and the queue of runs launched from it. */
public final class Dashboard implements AutoCloseable {
    private final RunLauncher launcher;
    private final Javalin app;

    private Dashboard(RunLauncher launcher, Javalin app) {
        this.launcher = launcher;
        this.app = app;
    }

    /**
     * Starts listening on {@code host:port} (port 0: any free one).
     *
     * @param data  the data runs may read (under the data root), read when a run is launched
     * @param token when present, launching, cancelling and resuming need it
     * @throws io.javalin.util.JavalinBindException when the address is taken or not this machine's
     */
    public static Dashboard start(Store store, DataAccess data, int workers, int threads,
                                  String host, int port, Optional<AccessToken> token) {
        return start(store, data, ParallelismPolicy.fixed(workers, threads), SearchRunner.DEFAULT_HEARTBEAT_GRACE,
                host, port, token);
    }

    /**
     * @param parallelism    chooses each launched run's workers and threads
     * @param heartbeatGrace how long a launched run waits for a silent worker before retrying its trial
     */
    public static Dashboard start(Store store, DataAccess data, ParallelismPolicy parallelism,
                                  Duration heartbeatGrace, String host, int port, Optional<AccessToken> token) {
        RunLauncher launcher = new RunLauncher(store, data, parallelism, heartbeatGrace);
        Javalin app = WebServer.create(new RunsController(store, launcher, data), token);
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            launcher.close();
            throw e;
        }
        launcher.adoptQueued();
        return new Dashboard(launcher, app);
    }

    public int port() {
        return app.port();
    }

    /** Stops a launched run in progress cleanly, then the server. */
    @Override
    public void close() {
        launcher.close();
        app.stop();
    }
}
