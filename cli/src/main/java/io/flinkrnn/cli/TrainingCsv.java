package io.flinkrnn.cli;

import io.flinkrnn.models.train.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
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
        Map<String, List<float[]>> rows = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int[] keyCol = new int[1];
        List<List<String>> names = new ArrayList<>();
        CsvRows.read(file, "train", cols -> {
            keyCol[0] = keyColumn == null ? -1 : CsvRows.index(cols, keyColumn, file, "--key-column", "train");
            int timeCol = timeColumn != null ? CsvRows.index(cols, timeColumn, file, "--time-column", "train")
                    : guessTime(cols);
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) {
                if (i != keyCol[0] && i != timeCol) {
                    rest.add(cols.get(i));
                }
            }
            names.add(features.isEmpty() ? rest : features);
            names.add(targets.isEmpty() ? List.of(rest.get(rest.size() - 1)) : targets);
            int[] use = new int[names.get(0).size() + names.get(1).size()];
            for (int i = 0; i < use.length; i++) {
                boolean feature = i < names.get(0).size();
                String n = feature ? names.get(0).get(i) : names.get(1).get(i - names.get(0).size());
                use[i] = CsvRows.index(cols, n, file, feature ? "--features" : "--targets", "train");
            }
            return use;
        }, problems, (line, v, x) -> rows.computeIfAbsent(keyCol[0] < 0 ? "series" : v[keyCol[0]].trim(),
                k -> new ArrayList<>()).add(x));
        if (rows.isEmpty()) {
            throw new UsageException("train: " + file + " has no usable rows");
        }
        int fw = names.get(0).size();
        int tw = names.get(1).size();
        List<TrainingData.Series> series = new ArrayList<>();
        rows.forEach((key, list) -> {
            float[] x = new float[list.size() * fw];
            float[] y = new float[list.size() * tw];
            for (int i = 0; i < list.size(); i++) {
                System.arraycopy(list.get(i), 0, x, i * fw, fw);
                System.arraycopy(list.get(i), fw, y, i * tw, tw);
            }
            series.add(new TrainingData.Series(key, x, y, fw, tw));
        });
        return new TrainingCsv(new TrainingData(names.get(0), names.get(1), series), problems);
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
}
