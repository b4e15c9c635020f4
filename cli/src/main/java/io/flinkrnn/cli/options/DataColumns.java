package io.flinkrnn.cli.options;

import io.flinkrnn.cli.csv.TimeColumn;
import io.flinkrnn.models.csv.CsvReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --data}, {@code --key-column}, {@code --time-column}, {@code --delimiter}: where the rows are, how they
 * are keyed and timed, and how their fields are separated. Every command that reads CSV (train, predict, evaluate,
 * detect, demo) reads it through {@link CsvReader} with {@link #delimiter} and the one {@link TimeColumn} rule.
 */
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
            description = "the rows' times, never a feature (default: the first column named timestamp, date, time"
                    + " or datetime, ignoring case, found in the first file read; without one, train takes the rows"
                    + " as an hour apart and the demo as a minute apart, and predict, evaluate and detect ask for"
                    + " this option)")
    public String timeColumn;

    @Option(names = "--delimiter", paramLabel = "D", converter = Delimiters.class,
            completionCandidates = Delimiters.class,
            description = "the CSV field separator: , (or comma), ; (or semicolon), tab, or auto (default: auto,"
                    + " detected from the header line as whichever of comma, semicolon and tab it holds most often"
                    + " outside quotes)")
    public Character delimiter;

    /** {@code --data}, which must exist; a usage error naming it otherwise. */
    public Path data() {
        if (data == null) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--data=FILE|DIR'");
        }
        return dataIfGiven();
    }

    /** {@code --data}, or null when it was not given (the demo's generator); when given, it must exist. */
    public Path dataIfGiven() {
        if (data != null && !Files.exists(data)) {
            throw new ParameterException(command.commandLine(), "--data " + data
                    + " does not exist (a CSV file or a folder of them)");
        }
        return data;
    }

    /** The time column rule for one run of the command: {@code --time-column}, else detected once. */
    public TimeColumn time() {
        return TimeColumn.named(timeColumn);
    }

    /**
     * {@code --delimiter}'s converter ({@link CsvReader#delimiter}: auto is null) and its completion candidates,
     * spelled as words so that the shell takes them as they are.
     */
    public static final class Delimiters implements ITypeConverter<Character>, Iterable<String> {
        @Override
        public Character convert(String value) {
            try {
                return CsvReader.delimiter(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }

        @Override
        public Iterator<String> iterator() {
            return List.of("comma", "semicolon", "tab", "auto").iterator();
        }
    }
}
