package io.flinkrnn.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The benchmarks' mains, each a picocli {@code @Command}: {@code --help} lists its options; exit status 0 on
 * success, 2 on a wrong command line (an unknown option or a bad value: picocli's message, so a typo is no longer
 * a silent default), 1 on a failure while running.
 */
final class BenchCli {
    /** Wider than picocli's 80 columns: the option descriptions are sentences. */
    private static final int HELP_WIDTH = 110;

    private BenchCli() {
    }

    /** Parses {@code args} into {@code command}, runs it and exits the JVM with its status. */
    static void exit(Object command, String[] args) {
        CommandLine cl = new CommandLine(command);
        cl.setUsageHelpWidth(HELP_WIDTH);
        // The last of a repeated option wins, as before: bench/run-operator-bench.sh passes --state-backend
        // ahead of the caller's own arguments.
        cl.setOverwrittenOptionsAllowed(true);
        cl.setParameterExceptionHandler(BenchCli::usageError);
        System.exit(cl.execute(args));
    }

    /** A wrong command line: picocli's message, its suggestions, and where the help is (not the whole help). */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandName() + ": " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("(" + command.getCommandName() + " --help lists the options)");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A usage error (status 2) for {@code option}'s {@code value} when it is not one of {@code allowed}. */
    static void requireOneOf(CommandSpec spec, String option, String value, String... allowed) {
        List<String> names = Arrays.asList(allowed);
        if (!names.contains(value)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': must be "
                    + String.join(", ", names) + ", got '" + value + "'");
        }
    }

    /** Whole seconds, with or without an {@code s}: {@code 60} or {@code 60s}. */
    static final class Seconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("must be whole seconds like 60 or 60s, got '" + value + "'");
            }
        }
    }

    /** Flink's memory sizes: {@code 512m}, {@code 1g}. */
    static final class MemorySizes implements ITypeConverter<MemorySize> {
        @Override
        public MemorySize convert(String value) {
            try {
                return MemorySize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be a memory size like 512m, got '" + value + "'");
            }
        }
    }
}
