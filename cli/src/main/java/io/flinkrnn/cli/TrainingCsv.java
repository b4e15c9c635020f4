package io.flinkrnn.cli;

import io.flinkrnn.cli.csv.EventTimes;
import io.flinkrnn.cli.csv.TimeColumn;
import io.flinkrnn.models.train.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads history for {@code train} ({@link CsvRows}): a header row, an optional key column (without one the file
 * is one series), an optional time column ({@link TimeColumn}: its times feed the model's time features; rows
 * without one are an hour apart),
 * feature and target columns by name. Defaults: the target is the last column, and the features are the
 * targets (a univariate model, the stronger default on real series); {@code --features all} takes every other
 * column. Rows with the wrong column count, a non-numeric value or an unreadable time are skipped and
 * reported with their line numbers; rows keep file order per key.
 */
final class TrainingCsv {
    final TrainingData data;
    final List<String> problems;
    /** Whether the file has a time column (else the rows are an hour apart). */
    final boolean timed;

    private TrainingCsv(TrainingData data, List<String> problems, boolean timed) {
        this.data = data;
        this.problems = problems;
        this.timed = timed;
    }

    /** Reads a file or a folder ({@link DataFiles}), fields split at {@code delimiter} (null: detected). */
    static TrainingCsv read(Path data, Character delimiter, String keyColumn, TimeColumn time, List<String> features,
            List<String> targets) throws Exception {
        Map<String, List<float[]>> rows = new LinkedHashMap<>();
        Map<String, List<Long>> times = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int[] timeAt = new int[1];
        List<List<String>> names = new ArrayList<>();
        List<DataFiles.Entry> entries = DataFiles.of(data, "train");
        for (DataFiles.Entry e : entries) {
            List<List<String>> fileNames = new ArrayList<>();
            read(e.file(), delimiter, e.key(), keyColumn, time, features, targets, rows, times, problems, timeAt,
                    fileNames);
            if (names.isEmpty()) {
                names.addAll(fileNames);
            } else if (!names.equals(fileNames)) {
                throw new UsageException("train: " + e.file() + " has features/targets " + fileNames + " but the"
                        + " files before it " + names);
            }
        }
        if (rows.isEmpty()) {
            throw new UsageException("train: " + data + " has no usable rows");
        }
        int fw = names.get(0).size();
        int tw = names.get(1).size();
        List<TrainingData.Series> series = new ArrayList<>();
        rows.forEach((key, list) -> {
            float[] x = new float[list.size() * fw];
            float[] y = new float[list.size() * tw];
            long[] t = new long[list.size()];
            for (int i = 0; i < list.size(); i++) {
                System.arraycopy(list.get(i), 0, x, i * fw, fw);
                System.arraycopy(list.get(i), fw, y, i * tw, tw);
                t[i] = times.get(key).get(i);
            }
            series.add(new TrainingData.Series(key, x, y, timeAt[0] < 0 ? null : t, fw, tw));
        });
        return new TrainingCsv(new TrainingData(names.get(0), names.get(1), series), problems, timeAt[0] >= 0);
    }

    private static void read(Path file, Character delimiter, String fixedKey, String keyColumn, TimeColumn time,
            List<String> features, List<String> targets, Map<String, List<float[]>> rows,
            Map<String, List<Long>> times, List<String> problems, int[] timeAt, List<List<String>> names)
            throws Exception {
        int[] keyCol = new int[1];
        CsvRows.read(file, delimiter, "train", cols -> {
            keyCol[0] = keyColumn == null || fixedKey != null ? -1
                    : CsvRows.index(cols, keyColumn, file, "--key-column", "train");
            int timeCol = time.index(cols, file);
            timeAt[0] = timeCol;
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) {
                if (i != keyCol[0] && i != timeCol) {
                    rest.add(cols.get(i));
                }
            }
            List<String> t = targets.isEmpty() ? List.of(rest.get(rest.size() - 1)) : targets;
            names.add(features.equals(List.of("all")) ? rest : features.isEmpty() ? t : features);
            names.add(t);
            int[] use = new int[names.get(0).size() + names.get(1).size()];
            for (int i = 0; i < use.length; i++) {
                boolean feature = i < names.get(0).size();
                String n = feature ? names.get(0).get(i) : names.get(1).get(i - names.get(0).size());
                use[i] = CsvRows.index(cols, n, file, feature && !features.isEmpty() ? "--features" : "--targets", "train");
            }
            return use;
        }, problems, (line, v, x) -> {
            long t = timeAt[0] < 0 ? 0 : EventTimes.parse(v[timeAt[0]]);
            String key = fixedKey != null ? fixedKey : keyCol[0] < 0 ? "series" : v[keyCol[0]];
            rows.computeIfAbsent(key, k -> new ArrayList<>()).add(x);
            times.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
        });
    }
}
