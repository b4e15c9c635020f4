package io.flinkrnn.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every command shares: {@code --help} (anywhere on its line), the stream it prints to, and usage errors tied
 * to the command so that they print as {@code flink-rnn COMMAND: message} and exit with status 2.
 */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    /** Where the command prints its results (standard output, or the test's stream). */
    PrintStream out() {
        return ((FlinkRnnCli) spec.root().userObject()).out;
    }

    /** A wrong command line: {@code throw usage("...")}. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Whether the user gave {@code option} (its default does not count). */
    boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** {@code value}, which must be at least {@code min}: for the few bounds no converter carries. */
    int atLeast(String option, int value, int min) {
        if (value < min) {
            throw usage("Invalid value for option '" + option + "': must be at least " + min + ", got " + value);
        }
        return value;
    }

    double atLeast(String option, double value, double min) {
        if (!(value >= min)) {
            throw usage("Invalid value for option '" + option + "': must be at least " + min + ", got " + value);
        }
        return value;
    }
}
