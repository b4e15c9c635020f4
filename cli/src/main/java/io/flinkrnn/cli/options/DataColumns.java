package io.flinkrnn.cli.options;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --data}, {@code --key-column}, {@code --time-column}: where the rows are and how they are keyed and timed. */
public final class DataColumns {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--data", paramLabel = "FILE|DIR",
            description = "a CSV file, or a folder of CSV files one key each (named after the file)")
    Path data;

    @Option(names = "--key-column", paramLabel = "K",
            description = "one series per value of this column (default: none, each file is one series)")
    public String keyColumn;

    @Option(names = "--time-column", paramLabel = "T",
            description = "the rows' time column, excluded from the features (default: the column named timestamp;"
                    + " train also takes one named date or time, or none)")
    public String timeColumn;

    /** {@code --data}, which must exist; a usage error naming it otherwise. */
    public Path data() {
        if (data == null) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--data=FILE|DIR'");
        }
        if (!Files.exists(data)) {
            throw new ParameterException(command.commandLine(), "--data " + data
                    + " does not exist (a CSV file or a folder of them)");
        }
        return data;
    }

    /** The time column, or {@code fallback} when none was given. */
    public String timeColumnOr(String fallback) {
        return timeColumn != null ? timeColumn : fallback;
    }
}
