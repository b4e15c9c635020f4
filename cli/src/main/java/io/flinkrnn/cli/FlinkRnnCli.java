package io.flinkrnn.cli;

import io.flinkrnn.cli.options.CliDefaults;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code deploy/bin/flink-rnn COMMAND [options]}: the entry point of every command, parsed by picocli. Exit status
 * by picocli's conventions: 0 on success, 2 on a wrong command line (one line naming the problem and where the
 * help is), 1 on any other failure (one line naming the file or setting; the stack trace with {@code --verbose} or
 * {@code FLINK_RNN_DEBUG=1}); {@code check verify} exits 1 on a failed verdict.
 */
@Command(name = "flink-rnn", synopsisSubcommandLabel = "COMMAND",
        description = "Per-key LSTM/GRU forecasting on Flink. COMMAND --help lists a command's options.",
        subcommands = {BenchCommand.class, CheckCommand.class, DemoCommand.class, DetectCommand.class,
            EvaluateCommand.class, ImportCommand.class, JobCommand.class, PredictCommand.class,
            PublishModelCommand.class, TrainCommand.class, HelpCommand.class})
public final class FlinkRnnCli implements Callable<Integer> {
    /** Wider than picocli's 80 columns: the option descriptions are sentences. */
    private static final int HELP_WIDTH = 110;

    final PrintStream out;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "print the stack trace of a failure (as FLINK_RNN_DEBUG=1 does)")
    boolean verbose;

    /** The root as picocli's tools (the completion script generator) instantiate it: printing to stdout. */
    public FlinkRnnCli() {
        this(System.out);
    }

    FlinkRnnCli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args);
    }

    /** The whole command tree printing to {@code out} and {@code err}, with the CLI's error handling. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        FlinkRnnCli root = new FlinkRnnCli(out);
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setExpandAtFiles(false); // an argument starting with @ is a value, as it always was
        cl.setDefaultValueProvider(new CliDefaults());
        cl.setParameterExceptionHandler(FlinkRnnCli::usageError);
        cl.setExecutionExceptionHandler((e, command, parsed) -> root.failure(e, command));
        CheckCommand.listSteps(cl.getSubcommands().get("check"));
        JobCommand.passSettingsThrough(cl.getSubcommands().get("job"));
        return cl;
    }

    /** No command: the list of commands, and status 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    /** A wrong command line: one line naming the problem, picocli's suggestions, and where the help is. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        CommandSpec spec = command.getCommandSpec();
        PrintWriter err = command.getErr();
        if (spec.parent() == null && e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            err.println("flink-rnn: unknown command '" + u.getUnmatched().get(0) + "'");
        } else {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
        }
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("(" + spec.qualifiedName() + " --help lists " + (spec.subcommands().isEmpty() ? "the options)"
                : "the commands)"));
        err.flush();
        return spec.exitCodeOnInvalidInput();
    }

    /**
     * A failure while running: a {@link UsageException} (from the readers: a file or column that does not fit the
     * options) exits 2, anything else 1; one line each, the stack only on request.
     */
    private int failure(Exception e, CommandLine command) {
        boolean stack = verbose || "1".equals(System.getenv("FLINK_RNN_DEBUG"));
        PrintWriter err = command.getErr();
        int status;
        if (e instanceof UsageException) {
            err.println("flink-rnn " + e.getMessage());
            status = command.getCommandSpec().exitCodeOnInvalidInput();
        } else {
            err.println(command.getCommandSpec().qualifiedName() + " failed: "
                    + (e.getMessage() != null ? e.getMessage() : e.toString())
                    + (stack ? "" : "   (--verbose or FLINK_RNN_DEBUG=1 for the stack trace)"));
            status = command.getCommandSpec().exitCodeOnExecutionException();
        }
        if (stack) {
            e.printStackTrace(err);
        }
        err.flush();
        return status;
    }
}
