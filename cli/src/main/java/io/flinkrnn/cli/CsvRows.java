package io.flinkrnn.cli;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The CSV reading {@code predict} and {@code train} share: a header row, then data rows in file order with
 * their line numbers; a row with the wrong column count or a value that is not a finite number is reported
 * ("line N: ...") and skipped, never the whole file.
 */
final class CsvRows {
    /** Receives each good row: its line number, its fields, and the parsed values of the asked columns. */
    interface RowHandler {
        void row(int line, String[] fields, float[] values);
    }

    private CsvRows() {
    }

    /** The header's column names, trimmed; a usage error naming the file when there is none. */
    static List<String> header(BufferedReader r, Path file, String command) throws java.io.IOException {
        String header = r.readLine();
        if (header == null) {
            throw new UsageException(command + ": " + file + " is empty (a header row is required)");
        }
        return Arrays.stream(header.trim().split(",", -1)).map(String::trim).toList();
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
            List<String> cols = header(r, file, command);
            int[] use = valueColumns.apply(cols);
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] v = line.split(",", -1);
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
