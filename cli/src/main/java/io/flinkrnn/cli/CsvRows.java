package io.flinkrnn.cli;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The CSV reading {@code predict} and {@code train} share: a header row, then data rows in file order with
 * their line numbers; fields split at commas, or at semicolons where the header has a semicolon and no comma (as
 * SKAB's files and many European exports are written); a row with the wrong column count or a value that is not a finite number is reported
 * ("line N: ...") and skipped, never the whole file.
 */
final class CsvRows {
    /** Receives each good row: its line number, its fields, and the parsed values of the asked columns. */
    interface RowHandler {
        void row(int line, String[] fields, float[] values);
    }

    private CsvRows() {
    }

    /** The header line; a usage error naming the file when there is none. */
    static String headerLine(BufferedReader r, Path file, String command) throws java.io.IOException {
        String header = r.readLine();
        if (header == null) {
            throw new UsageException(command + ": " + file + " is empty (a header row is required)");
        }
        return header;
    }

    /** The field separator of a file with this header: a semicolon where it has one and no comma, else a comma. */
    static String separator(String header) {
        return header.indexOf(';') >= 0 && header.indexOf(',') < 0 ? ";" : ",";
    }

    /** The header's column names, trimmed. */
    static List<String> columns(String header) {
        return Arrays.stream(header.trim().split(separator(header), -1)).map(String::trim).toList();
    }

    /** Index of a column, or a usage error naming the option and listing the columns. */
    static int index(List<String> cols, String name, Path file, String option, String command) {
        int i = cols.indexOf(name);
        if (i < 0) {
            throw new UsageException(command + ": " + file + " has no column '" + name + "' (" + option
                    + "); columns: " + cols);
        }
        return i;
    }

    /**
     * Reads {@code file}; for every good row parses {@code valueColumns} and calls {@code handler}; bad rows
     * go to {@code problems}. Returns the header.
     */
    static List<String> read(Path file, String command, java.util.function.Function<List<String>, int[]> valueColumns,
            List<String> problems, RowHandler handler) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = headerLine(r, file, command);
            String separator = separator(header);
            List<String> cols = columns(header);
            int[] use = valueColumns.apply(cols);
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] v = line.split(separator, -1);
                if (v.length != cols.size()) {
                    problems.add("line " + lineNo + ": " + v.length + " columns, the header has " + cols.size());
                    continue;
                }
                float[] x = new float[use.length];
                String bad = null;
                for (int i = 0; i < use.length && bad == null; i++) {
                    String s = v[use[i]];
                    try {
                        x[i] = Float.parseFloat(s.trim());
                        if (!Float.isFinite(x[i])) {
                            bad = cols.get(use[i]) + " is not a finite number: '" + s + "'";
                        }
                    } catch (NumberFormatException e) {
                        bad = cols.get(use[i]) + " is not a finite number: '" + s + "'";
                    }
                }
                if (bad != null) {
                    problems.add("line " + lineNo + ": column " + bad);
                    continue;
                }
                try {
                    handler.row(lineNo, v, x);
                } catch (UsageException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    problems.add("line " + lineNo + ": " + e.getMessage());
                }
            }
            return cols;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UsageException(command + ": " + file + " is not UTF-8 text (a CSV file was expected): " + e, e);
        }
    }
}
