package io.flinkrnn.deploy.cli;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV of observations: a header row, an optional key column (without one the file is one series), a time
 * column (kept as written), and the feature columns — the model's feature names when the header has them
 * all, else every other column in order. Rows with the wrong column count or a non-numeric value are
 * skipped and listed in {@link #problems} with their line numbers; good rows are all kept, in order.
 */
final class CsvSeries {
    /** One good row: key index, the time as written, the feature values. */
    static final class Row {
        final int key;
        final String timestamp;
        final float[] values;

        Row(int key, String timestamp, float[] values) {
            this.key = key;
            this.timestamp = timestamp;
            this.values = values;
        }
    }

    final List<Row> rows = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final Map<String, Integer> keyIndex = new HashMap<>();

    int keyCount() {
        return keys.size();
    }

    String keyName(int i) {
        return keys.get(i);
    }

    static CsvSeries read(Path file, String keyColumn, String timeColumn, List<String> featureNames, int inputs)
            throws Exception {
        CsvSeries s = new CsvSeries();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new UsageException("predict: " + file + " is empty (a header row is required)");
            }
            List<String> cols = Arrays.asList(header.trim().split(",", -1));
            int keyCol = keyColumn == null ? -1 : index(cols, keyColumn, file, "--key-column");
            int timeCol = index(cols, timeColumn, file, "--time-column");
            int[] featureCols = features(cols, keyCol, timeCol, featureNames, inputs, file);
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] v = line.split(",", -1);
                if (v.length != cols.size()) {
                    s.problems.add("line " + lineNo + ": " + v.length + " columns, the header has " + cols.size());
                    continue;
                }
                float[] x = new float[featureCols.length];
                boolean ok = true;
                for (int i = 0; i < featureCols.length && ok; i++) {
                    try {
                        x[i] = Float.parseFloat(v[featureCols[i]].trim());
                        ok = Float.isFinite(x[i]);
                    } catch (NumberFormatException e) {
                        ok = false;
                    }
                    if (!ok) {
                        s.problems.add("line " + lineNo + ": column " + cols.get(featureCols[i]) + " is not a finite"
                                + " number: '" + v[featureCols[i]] + "'");
                    }
                }
                if (!ok) {
                    continue;
                }
                String key = keyCol < 0 ? "series" : v[keyCol].trim();
                int k = s.keyIndex.computeIfAbsent(key, n -> {
                    s.keys.add(n);
                    return s.keys.size() - 1;
                });
                s.rows.add(new Row(k, v[timeCol].trim(), x));
            }
        }
        return s;
    }

    private static int index(List<String> cols, String name, Path file, String option) {
        int i = cols.indexOf(name);
        if (i < 0) {
            throw new UsageException("predict: " + file + " has no column '" + name + "' (" + option + "); columns: "
                    + cols);
        }
        return i;
    }

    private static int[] features(List<String> cols, int keyCol, int timeCol, List<String> names, int inputs,
            Path file) {
        if (!names.isEmpty() && cols.containsAll(names)) {
            return names.stream().mapToInt(cols::indexOf).toArray();
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            if (i != keyCol && i != timeCol) {
                rest.add(i);
            }
        }
        if (rest.size() != inputs) {
            throw new UsageException("predict: " + file + " has " + rest.size() + " feature columns " + rest.stream()
                    .map(cols::get).toList() + " but the model takes " + inputs + " inputs" + (names.isEmpty() ? ""
                    : " (named " + names + ")"));
        }
        return rest.stream().mapToInt(Integer::intValue).toArray();
    }
}
