package io.flinkrnn.cli.csv;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Event times as CSV files spell them, to epoch milliseconds: epoch seconds or millis, ISO-8601 instants
 * (with Z or an offset), and local date-times or dates, read as UTC ({@code 2014-04-01 00:05:00},
 * {@code 2014-04-01T00:05:00}, {@code 2014-04-01}). One place, so every command reads times alike.
 */
public final class EventTimes {
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]");

    private EventTimes() {
    }

    /** Epoch millis of {@code s}; IllegalArgumentException naming the value when it is no time. */
    public static long parse(String text) {
        String s = text.trim();
        try {
            if (s.matches("-?\\d{1,13}")) {
                long n = Long.parseLong(s);
                return Math.abs(n) < 100_000_000_000L ? n * 1000 : n;
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return Instant.parse(s).toEpochMilli();
            }
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            if (s.contains("T")) {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            return LocalDateTime.parse(s, SPACED).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time (epoch seconds or millis, ISO-8601,"
                    + " or yyyy-MM-dd[ HH:mm[:ss]] in UTC)", e);
        }
    }
}
