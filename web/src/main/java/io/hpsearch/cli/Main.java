package io.hpsearch.cli;

import io.hpsearch.data.DataException;
import io.hpsearch.space.SpaceException;
import io.hpsearch.store.StoreException;
import io.hpsearch.store.StoreUnavailableException;
import io.hpsearch.trainer.OneDnn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/** The hpsearch command line: the composition root, wiring store, data and search with plain constructors. */
@Command(name = "hpsearch", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Hyperparameter search for DL4J networks on your data: CSV tables, image folders, IDX files, "
                + "Fashion-MNIST.",
        subcommands = {RunCommand.class, ResumeCommand.class, RunsCommand.class, TrialsCommand.class,
                ShowCommand.class, PredictCommand.class, ServeCommand.class, WorkerCommand.class})
public final class Main {
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On an error, print its stack trace too (for a bug report).")
    boolean verbose;

    /** Exit code for bad input: a space file, a flag, a data directory or a database path. */
    static final int BAD_INPUT = 2;
    /** Exit code for a failure of hpsearch itself (a bug, or the machine: out of disk, say). */
    static final int INTERNAL_ERROR = 1;

    public static void main(String[] args) {
        OneDnn.selectNatives();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit code. Tests call this in-process. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, ignored) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("hpsearch: " + ex.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, ignored) -> {
            // An outage or a full disk is neither the user's input nor a bug: said as it is, exit 1.
            boolean machine = ex instanceof StoreUnavailableException || ex instanceof MachineException;
            boolean badInput = !machine && (ex instanceof SpaceException || ex instanceof DataException
                    || ex instanceof StoreException || ex instanceof UsageException);
            PrintWriter errors = cmd.getErr();
            errors.println("hpsearch: " + (badInput || machine ? ex.getMessage() : "internal error: " + ex
                    + (main.verbose ? "" : " (run again with --verbose for the details to report)")));
            if (main.verbose) {
                ex.printStackTrace(errors);
            }
            errors.flush();
            return badInput ? BAD_INPUT : INTERNAL_ERROR;
        });
        int code = cli.execute(args);
        // PrintWriter swallows write errors: without this a full disk or a closed pipe would end in success, with
        // the rows cut short.
        if (code == 0 && out.checkError()) {
            err.println("hpsearch: could not write to standard output (closed, or the disk is full); what it shows is "
                    + "incomplete");
            err.flush();
            return INTERNAL_ERROR;
        }
        return code;
    }

    /** The machine stopped a command (a full disk, an I/O error): said as it is, exit 1, never "internal error". */
    static final class MachineException extends RuntimeException {
        MachineException(String message) {
            super(message);
        }
    }

    /** A bad argument found while a command runs (an unknown run id, say). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
