package io.hpsearch.cli;

import io.hpsearch.runner.ParallelismPolicy;
import io.hpsearch.runner.Reaper;
import io.hpsearch.store.Store;
import io.hpsearch.web.AccessToken;
import io.hpsearch.web.DataAccess;
import io.hpsearch.web.Dashboard;
import io.javalin.util.JavalinBindException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

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

    @Mixin
    WorkerOptions pool;

    @Option(names = "--data-root", paramLabel = "DIR", defaultValue = ".",
            description = "Spaces sent to the dashboard read data only under this folder; their relative paths "
                    + "start here (default: the folder serve was started in).")
    Path dataRoot;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:HPSEARCH_TOKEN}",
            description = "What launching, cancelling and resuming must send as 'Authorization: Bearer TOKEN' "
                    + "(env HPSEARCH_TOKEN). Off this machine (a --host other than loopback) one is always "
                    + "required: without this option a random one is made and printed.")
    String token;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new Main.UsageException("--port must be 0-65535, was " + port);
        }
        ParallelismPolicy parallelism = pool.policy();
        PrintWriter out = spec.commandLine().getOut();
        InetAddress address = address();
        // Before a database is created or a token printed: an address it cannot listen on is all the user hears.
        checkCanListen(address);
        Optional<AccessToken> access = accessToken(address.isLoopbackAddress());
        if (!Files.isDirectory(dataRoot)) {
            throw new Main.UsageException("--data-root " + dataRoot + ": not a folder");
        }
        DataAccess dataAccess = new DataAccess(dataRoot, data.fashionMnistOnce());
        try (Store s = store.open()) {
            Dashboard dashboard;
            try {
                dashboard = Dashboard.start(s, dataAccess, parallelism, store.heartbeatGrace(), host, port, access);
            } catch (JavalinBindException e) {
                // Taken between the check and now. Javalin calls every bind failure "Port already in use"; the
                // cause says which it was.
                throw new Main.UsageException(cannotListen(e));
            }
            try (dashboard; Reaper reaper = new Reaper(s, store.heartbeatGrace())) {
                CountDownLatch stopped = new CountDownLatch(1);
                try (StopSignals signals = new StopSignals(spec.commandLine().getErr(),
                        "a run in progress ends its trials in flight as cancelled", stopped::countDown)) {
                    out.println("hpsearch dashboard: http://" + displayHost() + ":" + dashboard.port()
                            + "/ (database " + s.describe() + "). Ctrl-C stops it.");
                    out.flush();
                    stopped.await();
                }
            }
        }
        return 0;
    }

    /**
     * The token changes need: the one given, or on an address other machines can reach a generated one (announced
     * with a warning), or none for a dashboard only this machine can reach.
     */
    private Optional<AccessToken> accessToken(boolean loopback) {
        Optional<AccessToken> given;
        try {
            // An empty token (a token file that was missing or empty, HPSEARCH_TOKEN="") is a mistake, never a way
            // to switch protection off.
            given = token == null ? Optional.empty() : Optional.of(AccessToken.of(token));
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--token (or HPSEARCH_TOKEN)" + (token.isEmpty() ? " is empty: " : ": ")
                    + e.getMessage());
        }
        if (loopback) {
            return given;
        }
        AccessToken access = given.orElseGet(AccessToken::generate);
        PrintWriter err = spec.commandLine().getErr();
        err.println("hpsearch: warning: listening on " + host + ": other machines can reach this dashboard and "
                + "read every run. Launching, cancelling, resuming and checking spaces need the header "
                + "'Authorization: Bearer TOKEN'.");
        if (given.isEmpty()) {
            err.println("hpsearch: access token: " + access.value() + " (add #token=" + access.value()
                    + " to the dashboard's URL to use it from a browser)");
        }
        err.flush();
        return Optional.of(access);
    }

    private InetAddress address() {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new Main.UsageException("--host " + host + " is not an address of this machine (" + e.getMessage()
                    + ")");
        }
    }

    /** Binds --host:--port for a moment, as Jetty will (with SO_REUSEADDR), to refuse a bad one in the user's words. */
    private void checkCanListen(InetAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new Main.UsageException(cannotListen(e));
        }
    }

    private String cannotListen(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = String.valueOf(root.getMessage());
        String lower = why.toLowerCase(Locale.ROOT);
        String advice;
        if (lower.contains("already in use")) {
            advice = "another process listens on port " + port + "; choose another with --port";
        } else if (port < 1024 && (lower.contains("permission denied") || lower.contains("access denied"))) {
            advice = "ports below 1024 need root; choose one above it with --port";
        } else if (lower.contains("assign requested address")) {
            advice = "--host " + host + " is not an address of this machine; use one of its own, 0.0.0.0 for all "
                    + "of them, or 127.0.0.1";
        } else {
            advice = "choose another with --port or --host";
        }
        return "cannot listen on " + displayHost() + ":" + port + " (" + why + "): " + advice;
    }

    /** The address to put in a URL: a wildcard bind is reachable on this machine as localhost. */
    private String displayHost() {
        return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    }
}
