package io.hpsearch.testing;

import io.hpsearch.cli.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real {@code hpsearch} command in its own JVM, as a user starts it in another terminal. */
public final class HpsearchProcess implements AutoCloseable {
    /** Marks the end of the output in {@link #lines}. */
    private static final String END = new String("end of output");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder output = new StringBuilder();
    private boolean ended;

    public HpsearchProcess(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                // Surefire runs tests from a manifest-only jar; this property holds the real class path.
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read on a thread of its own, so that a test can wait for a line with a deadline.
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process was killed: its output ends here
            } finally {
                lines.add(END);
            }
        }, "hpsearch-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Reads output until a line matches; returns it, or null if the process ended first. */
    public String awaitLine(Predicate<String> wanted) throws InterruptedException {
        while (true) {
            Optional<String> line = nextLine(Duration.ofMinutes(5));
            if (line.isEmpty() || wanted.test(line.get())) {
                return line.orElse(null);
            }
        }
    }

    /**
     * The next line of output, waiting at most {@code timeout}; empty when none came in time or the output ended
     * (see {@link #ended()}).
     */
    public Optional<String> nextLine(Duration timeout) throws InterruptedException {
        if (ended) {
            return Optional.empty();
        }
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == END) {
            ended = true;
            return Optional.empty();
        }
        if (line != null) {
            output.append(line).append('\n');
        }
        return Optional.ofNullable(line);
    }

    /** Whether the process's output has ended (it exited or was killed). */
    public boolean ended() {
        return ended;
    }

    /** Reads the rest of the output and waits for the exit code. */
    public int awaitExit() throws InterruptedException {
        awaitLine(line -> false);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("hpsearch did not exit within 2 minutes:\n" + output);
        }
        return process.exitValue();
    }

    /**
     * Sends SIGINT, as Ctrl-C in a terminal does. Refuses where the process ignores SIGINT: a process started in the
     * background of a shell without job control (`cmd &` in a script) ignores it, its children inherit that,
     * and the JVM then installs no handler, so the signal would do nothing and the test would fail for the wrong
     * reason.
     */
    public void interrupt() throws IOException, InterruptedException {
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        if (Files.isReadable(status)) {
            for (String line : Files.readAllLines(status)) {
                // SigIgn is a hexadecimal mask of ignored signals; bit 1 is signal 2, SIGINT.
                if (line.startsWith("SigIgn:") && (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0) {
                    throw new IllegalStateException("hpsearch (pid " + process.pid() + ") ignores SIGINT, inherited "
                            + "from the process that started the tests (a background job of a shell without job "
                            + "control): run the tests in the foreground, or from a shell with `set -m`");
                }
            }
        }
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
    }

    /** Sends SIGKILL, as a crash or a power cut would end it: no shutdown code runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new UncheckedIOException(new IOException("hpsearch survived SIGKILL"));
        }
    }

    /** The process id, as the workers table records it. */
    public long pid() {
        return process.pid();
    }

    public String output() {
        return output.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
