package io.flinkrnn.cli;

import io.flinkrnn.models.csv.CsvReader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The numeric rows {@code train}, {@code predict}, {@code evaluate} and {@code detect} read from a CSV through
 * {@link CsvReader}: a row with the header's field count and a finite number in every asked column goes to the
 * handler with its line; any other row is reported ({@code FILE line N: ...}) and skipped, never the whole file. A
 * file that cannot be read at all (empty, not UTF-8, an unclosed quote) or lacks an asked column is a usage error
 * naming it.
 */
final class CsvRows {
    /** Receives each good row: its line number, its fields, and the parsed values of the asked columns. */
    interface RowHandler {
        void row(long line, String[] fields, float[] values);
    }

    private CsvRows() {
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
     * Reads {@code file} ({@code delimiter} null: detected); {@code valueColumns} picks the columns to parse from
     * the header (IllegalArgumentException: a usage error); every good row goes to {@code handler}, bad rows to
     * {@code problems}. Returns the header.
     */
    static List<String> read(Path file, Character delimiter, String command,
            Function<List<String>, int[]> valueColumns, List<String> problems, RowHandler handler) throws Exception {
        try (CsvReader csv = CsvReader.open(file, delimiter)) {
            List<String> cols = csv.header();
            int[] use;
            try {
                use = valueColumns.apply(cols);
            } catch (UsageException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new UsageException(command + ": " + e.getMessage(), e);
            }
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                String ragged = csv.fieldCountProblem(row);
                if (ragged != null) {
                    problems.add(ragged);
                    continue;
                }
                String[] v = row.fields();
                float[] x = new float[use.length];
                String bad = null;
                for (int i = 0; i < use.length && bad == null; i++) {
                    try {
                        x[i] = csv.number(v[use[i]]);
                    } catch (NumberFormatException e) {
                        x[i] = Float.NaN;
                    }
                    if (!Float.isFinite(x[i])) {
                        bad = cols.get(use[i]) + " is not a finite number: '" + v[use[i]] + "'";
                    }
                }
                if (bad != null) {
                    problems.add(csv.where(row.line()) + ": column " + bad);
                    continue;
                }
                try {
                    handler.row(row.line(), v, x);
                } catch (UsageException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    problems.add(csv.where(row.line()) + ": " + e.getMessage());
                }
            }
            return cols;
        } catch (CsvReader.BadCsv e) {
            throw new UsageException(command + ": " + e.getMessage(), e);
        }
    }
}
