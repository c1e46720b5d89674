package io.hpsearch.testing;

import io.hpsearch.cli.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real {@code hpsearch} command in its own JVM, as a user starts it in another terminal. */
public final class HpsearchProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader lines;
    private final StringBuilder output = new StringBuilder();

    public HpsearchProcess(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                // Surefire runs tests from a manifest-only jar; this property holds the real class path.
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads output until a line matches; returns it, or null if the process ended first. */
    public String awaitLine(Predicate<String> wanted) throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            output.append(line).append('\n');
            if (wanted.test(line)) {
                return line;
            }
        }
        return null;
    }

    /** Reads the rest of the output and waits for the exit code. */
    public int awaitExit() throws IOException, InterruptedException {
        awaitLine(line -> false);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("hpsearch did not exit within 2 minutes:\n" + output);
        }
        return process.exitValue();
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    public void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
    }

    public String output() {
        return output.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
