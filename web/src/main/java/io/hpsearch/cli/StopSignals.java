package io.hpsearch.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a clean stop while a run or the dashboard is in progress. A JVM shutdown hook would be too
 * late: H2 closes the database in its own hook, racing the writes that mark running trials cancelled. Handling the
 * signal keeps the JVM alive until the run has recorded its end. A second signal exits at once.
 */
final class StopSignals implements AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];

    /** Calls {@code stop} on the first signal, after telling the user on {@code err} {@code whatHappens}. */
    StopSignals(PrintWriter err, String whatHappens, Runnable stop) {
        AtomicBoolean stopping = new AtomicBoolean();
        SignalHandler handler = signal -> {
            if (stopping.getAndSet(true)) {
                err.println("\nhpsearch: stopping now; trials in flight stay marked as running.");
                err.flush();
                System.exit(RunCommand.CANCELLED);
            }
            err.println("\nhpsearch: stopping: " + whatHappens + " (press Ctrl-C again to quit at once).");
            err.flush();
            stop.run();
        };
        for (int i = 0; i < SIGNALS.length; i++) {
            previous[i] = Signal.handle(new Signal(SIGNALS[i]), handler);
        }
    }

    /** Gives the signals back to the JVM's default handling. */
    @Override
    public void close() {
        for (int i = 0; i < SIGNALS.length; i++) {
            Signal.handle(new Signal(SIGNALS[i]), previous[i]);
        }
    }
}
