package io.hpsearch.cli;

import io.hpsearch.runner.Reaper;
import io.hpsearch.store.Store;
import io.hpsearch.trainer.NativeThreads;
import io.hpsearch.web.Dashboard;
import io.javalin.util.JavalinBindException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the dashboard: browse runs and trials, launch and cancel runs in a browser.",
                "Runs started with 'hpsearch run' on the same database show up live. Ctrl-C stops it."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT",
            description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    StoreOptions store;

    @Mixin
    DataOptions data;

    @Option(names = "--workers", paramLabel = "N",
            description = "Trials of a launched run trained side by side (default: the number of cores).")
    Integer workers;

    @Option(names = "--threads", paramLabel = "N",
            description = "ND4J native threads per worker (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + NativeThreads.DEFAULT_PER_WORKER)
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new Main.UsageException("--port must be 0-65535, was " + port);
        }
        int poolSize = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (poolSize < 1 || threads < 1) {
            throw new Main.UsageException("--workers and --threads must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.open()) {
            Dashboard dashboard;
            try {
                dashboard = Dashboard.start(s, memoize(data::load), store.modelDir(), poolSize, threads, host, port);
            } catch (JavalinBindException e) {
                throw new Main.UsageException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                        + "); choose another with --port or --host");
            }
            try (dashboard; Reaper reaper = new Reaper(s, store.heartbeatGrace())) {
                CountDownLatch stopped = new CountDownLatch(1);
                try (StopSignals signals = new StopSignals(spec.commandLine().getErr(),
                        "a run in progress ends its trials in flight as cancelled", stopped::countDown)) {
                    out.println("hpsearch dashboard: http://" + displayHost() + ":" + dashboard.port()
                            + "/ (database " + s.dbFile() + ".mv.db). Ctrl-C stops it.");
                    out.flush();
                    stopped.await();
                }
            }
        }
        return 0;
    }

    /** The address to put in a URL: a wildcard bind is reachable on this machine as localhost. */
    private String displayHost() {
        return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    }

    /** Loads once, on first use: browsing never needs the data set. */
    private static <T> Supplier<T> memoize(Supplier<T> load) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = load.get();
                }
                return value;
            }
        };
    }
}
