package io.flinkrnn.deploy.cli;

import io.flinkrnn.kernels.train.TrainingData;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads history for {@code train}: a header row, an optional key column (without one the file is one series),
 * an optional time column (ignored beyond being excluded from the features), feature and target columns by
 * name. Defaults: every other column is a feature, the last one is the target. Rows with the wrong column
 * count or a non-numeric value are skipped and reported with their line numbers; rows keep file order per key.
 */
final class TrainingCsv {
    final TrainingData data;
    final List<String> problems;

    private TrainingCsv(TrainingData data, List<String> problems) {
        this.data = data;
        this.problems = problems;
    }

    static TrainingCsv read(Path file, String keyColumn, String timeColumn, List<String> features,
            List<String> targets) throws Exception {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new UsageException("train: " + file + " is empty (a header row is required)");
            }
            List<String> cols = Arrays.stream(header.trim().split(",", -1)).map(String::trim).toList();
            int keyCol = keyColumn == null ? -1 : index(cols, keyColumn, file, "--key-column");
            int timeCol = timeColumn != null ? index(cols, timeColumn, file, "--time-column") : guessTime(cols);
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) {
                if (i != keyCol && i != timeCol) {
                    rest.add(cols.get(i));
                }
            }
            List<String> f = features.isEmpty() ? rest : features;
            List<String> t = targets.isEmpty() ? List.of(rest.get(rest.size() - 1)) : targets;
            int[] fc = f.stream().mapToInt(n -> index(cols, n, file, "--features")).toArray();
            int[] tc = t.stream().mapToInt(n -> index(cols, n, file, "--targets")).toArray();
            Map<String, List<float[]>> rows = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
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
                float[] row = new float[fc.length + tc.length];
                String bad = null;
                for (int i = 0; i < row.length && bad == null; i++) {
                    int c = i < fc.length ? fc[i] : tc[i - fc.length];
                    try {
                        row[i] = Float.parseFloat(v[c].trim());
                        if (!Float.isFinite(row[i])) {
                            bad = cols.get(c);
                        }
                    } catch (NumberFormatException e) {
                        bad = cols.get(c);
                    }
                }
                if (bad != null) {
                    problems.add("line " + lineNo + ": column " + bad + " is not a finite number");
                    continue;
                }
                rows.computeIfAbsent(keyCol < 0 ? "series" : v[keyCol].trim(), k -> new ArrayList<>()).add(row);
            }
            if (rows.isEmpty()) {
                throw new UsageException("train: " + file + " has no usable rows");
            }
            List<TrainingData.Series> series = new ArrayList<>();
            rows.forEach((key, list) -> {
                float[] x = new float[list.size() * fc.length];
                float[] y = new float[list.size() * tc.length];
                for (int i = 0; i < list.size(); i++) {
                    System.arraycopy(list.get(i), 0, x, i * fc.length, fc.length);
                    System.arraycopy(list.get(i), fc.length, y, i * tc.length, tc.length);
                }
                series.add(new TrainingData.Series(key, x, y, fc.length, tc.length));
            });
            return new TrainingCsv(new TrainingData(f, t, series), problems);
        }
    }

    /** A column named timestamp, date or time, if any: such a column is never a feature by default. */
    private static int guessTime(List<String> cols) {
        for (String name : List.of("timestamp", "date", "time", "datetime")) {
            int i = cols.indexOf(name);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static int index(List<String> cols, String name, Path file, String option) {
        int i = cols.indexOf(name);
        if (i < 0) {
            throw new UsageException("train: " + file + " has no column '" + name + "' (" + option + "); columns: "
                    + cols);
        }
        return i;
    }
}
