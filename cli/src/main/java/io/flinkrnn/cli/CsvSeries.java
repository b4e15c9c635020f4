package io.flinkrnn.cli;

import io.flinkrnn.cli.csv.EventTimes;
import io.flinkrnn.cli.csv.TimeColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV of observations ({@link CsvRows}): a header row, an optional key column (without one the file is one
 * series), a time column ({@link TimeColumn}: named or detected; kept as written), and the feature columns: the
 * model's feature names when the header has them all, else every other column in order but the label columns,
 * which are read beside them. Rows with the wrong field count, a non-numeric value or a time that is none ({@link
 * EventTimes}) are skipped and listed in {@link #problems} with their file and line; good rows are all kept, in
 * order.
 */
final class CsvSeries {
    /** One good row: key index, the time as written and as epoch millis, the feature values. */
    static final class Row {
        final int key;
        final String timestamp;
        final long time;
        final float[] values;
        /** The label columns' values, in the order asked (empty without any). */
        final float[] labels;

        Row(int key, String timestamp, long time, float[] values, float[] labels) {
            this.key = key;
            this.timestamp = timestamp;
            this.time = time;
            this.values = values;
            this.labels = labels;
        }
    }

    final List<Row> rows = new ArrayList<>();
    /** The feature columns read, in order (the header names). */
    final List<String> featureNames = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final Map<String, Integer> keyIndex = new HashMap<>();

    int keyCount() {
        return keys.size();
    }

    String keyName(int i) {
        return keys.get(i);
    }

    /**
     * Reads a file, or a folder of files one key each ({@link DataFiles}), fields split at {@code delimiter} (null:
     * detected per file); problems name the file and line.
     */
    static CsvSeries read(Path data, Character delimiter, String keyColumn, TimeColumn time,
            List<String> featureNames, int inputs) throws Exception {
        return read(data, delimiter, keyColumn, time, featureNames, inputs, List.of());
    }

    /** The same, with label columns (never features) read into each row's {@link Row#labels}. */
    static CsvSeries read(Path data, Character delimiter, String keyColumn, TimeColumn time,
            List<String> featureNames, int inputs, List<String> labelColumns) throws Exception {
        CsvSeries s = new CsvSeries();
        for (DataFiles.Entry e : DataFiles.of(data, "predict")) {
            read(s, e.file(), delimiter, e.key(), keyColumn, time, featureNames, inputs, labelColumns);
        }
        return s;
    }

    private static void read(CsvSeries s, Path file, Character delimiter, String fixedKey, String keyColumn,
            TimeColumn time, List<String> featureNames, int inputs, List<String> labelColumns) throws Exception {
        int[] keyAndTime = new int[2];
        int labels = labelColumns.size();
        CsvRows.read(file, delimiter, "predict", cols -> {
            keyAndTime[0] = keyColumn == null || fixedKey != null ? -1
                    : CsvRows.index(cols, keyColumn, file, "--key-column", "predict");
            keyAndTime[1] = time.required(cols, file);
            List<Integer> skip = new ArrayList<>(List.of(keyAndTime[0], keyAndTime[1]));
            int[] labelAt = new int[labels];
            for (int i = 0; i < labels; i++) {
                labelAt[i] = CsvRows.index(cols, labelColumns.get(i), file, "--label-column", "detect");
                skip.add(labelAt[i]);
            }
            int[] use = features(cols, skip, featureNames, inputs, file);
            if (s.featureNames.isEmpty()) {
                for (int i : use) {
                    s.featureNames.add(cols.get(i));
                }
            }
            int[] all = java.util.Arrays.copyOf(use, use.length + labels);
            System.arraycopy(labelAt, 0, all, use.length, labels);
            return all;
        }, s.problems, (line, v, x) -> {
            String key = fixedKey != null ? fixedKey : keyAndTime[0] < 0 ? "series" : v[keyAndTime[0]];
            int k = s.keyIndex.computeIfAbsent(key, n -> {
                s.keys.add(n);
                return s.keys.size() - 1;
            });
            String t = v[keyAndTime[1]];
            int f = x.length - labels;
            s.rows.add(new Row(k, t, EventTimes.parse(t), java.util.Arrays.copyOf(x, f),
                    java.util.Arrays.copyOfRange(x, f, x.length)));
        });
    }

    private static int[] features(List<String> cols, List<Integer> skip, List<String> names, int inputs,
            Path file) {
        if (!names.isEmpty() && cols.containsAll(names)) {
            return names.stream().mapToInt(cols::indexOf).toArray();
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            if (!skip.contains(i)) {
                rest.add(i);
            }
        }
        if (inputs < 0) {
            return rest.stream().mapToInt(Integer::intValue).toArray();
        }
        if (rest.size() != inputs) {
            throw new UsageException("predict: " + file + " has " + rest.size() + " feature columns " + rest.stream()
                    .map(cols::get).toList() + " but the model takes " + inputs + " inputs" + (names.isEmpty() ? ""
                    : " (named " + names + ")"));
        }
        return rest.stream().mapToInt(Integer::intValue).toArray();
    }
}
