package io.flinkrnn.cli.csv;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which CSV column holds the rows' times: the one rule of {@code train}, {@code predict}, {@code evaluate},
 * {@code detect} and the {@code demo}. Named ({@code --time-column T}): column {@code T} of every file, and a file
 * without it is an error naming the file. Not named: detected once, from the header of the first file read, as the
 * first of {@code timestamp}, {@code date}, {@code time}, {@code datetime} (in that order, ignoring case) that is a
 * column; every later file of a folder must have that same column. The time column is never a feature; its values
 * are read by {@link EventTimes}, and a row whose time is none is skipped and reported like any bad row. When no
 * column is named and none is found, the data has no times: {@code train} takes the rows as an hour apart (a model
 * without calendar inputs), the demo as a minute apart, and {@code predict}, {@code evaluate} and {@code detect},
 * which replay event times, ask for {@code --time-column}. One object per command run, so a folder is decided once.
 */
public final class TimeColumn {
    /** The names detection looks for, in order of preference. */
    public static final List<String> DETECTED = List.of("timestamp", "date", "time", "datetime");
    /** The help line of {@code --time-column}, the same in every command. */
    public static final String HELP = "--time-column T       the rows' times (default: the first column named"
            + " timestamp, date, time or datetime)";

    private final String named;
    private boolean decided;
    private String name;
    private Path decidedBy;

    private TimeColumn(String named) {
        this.named = named;
    }

    /** The time column named by {@code --time-column}, or detected when {@code name} is null. */
    public static TimeColumn named(String name) {
        return new TimeColumn(name);
    }

    /**
     * The index of the time column in {@code header} of {@code file}, or -1 when the data has none; the first call
     * decides which column that is. IllegalArgumentException naming the file when the decided column is missing.
     */
    public int index(List<String> header, Path file) {
        if (!decided) {
            decided = true;
            decidedBy = file;
            name = named != null ? named : detect(header);
        }
        if (name == null) {
            return -1;
        }
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(file + " has no column '" + name + "' (" + (named != null
                    ? "--time-column" : "the time column found in " + decidedBy) + "); columns: " + header);
        }
        return i;
    }

    /** As {@link #index}, but a file without a time column is an error asking for {@code --time-column}. */
    public int required(List<String> header, Path file) {
        int i = index(header, file);
        if (i < 0) {
            throw new IllegalArgumentException(file + " has no time column (none is named " + String.join(", ",
                    DETECTED) + "); name it with --time-column; columns: " + header);
        }
        return i;
    }

    private static String detect(List<String> header) {
        for (String wanted : DETECTED) {
            for (String column : header) {
                if (column.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return column;
                }
            }
        }
        return null;
    }
}
