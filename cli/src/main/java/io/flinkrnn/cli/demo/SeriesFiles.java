package io.flinkrnn.cli.demo;

import io.flinkrnn.cli.csv.EventTimes;
import io.flinkrnn.cli.csv.TimeColumn;
import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.models.csv.CsvReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real series for the demo from CSV ({@link CsvReader}): a folder is one key per {@code *.csv} file (e.g. NAB's
 * realTraffic), a file is one series or, with a key column, one per key (e.g. ETTh1.csv). The value column is
 * {@code valueColumn}, else a column named value, else the last column; the time column follows {@link TimeColumn}
 * (without one, rows are a minute apart). Rows of the wrong length, whose value is not a finite number or whose
 * time is none are skipped and counted.
 */
public final class SeriesFiles {
    private SeriesFiles() {
    }

    /** What was read, and how many rows were skipped. */
    public record Loaded(DemoSeries series, int skippedRows) {
    }

    /** Reads {@code path}; {@code delimiter} null detects it per file, {@code timeColumn} null detects it once. */
    public static Loaded read(Path path, String valueColumn, String keyColumn, String timeColumn, Character delimiter)
            throws IOException {
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--data " + path + ": the folder holds no .csv files");
            }
        } else if (Files.isRegularFile(path)) {
            files = List.of(path);
        } else {
            throw new IllegalArgumentException("--data " + path + ": no such file or folder");
        }
        TimeColumn time = TimeColumn.named(timeColumn);
        List<DemoSeries.Key> keys = new ArrayList<>();
        int skipped = 0;
        String valueName = null;
        for (Path f : files) {
            Parsed p = parse(f, valueColumn, keyColumn, time, delimiter);
            keys.addAll(p.keys);
            skipped += p.skipped;
            valueName = p.valueName;
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("--data " + path + ": no usable rows (" + skipped + " skipped)");
        }
        return new Loaded(new DemoSeries(path.toString(), valueName, keys), skipped);
    }

    private record Parsed(List<DemoSeries.Key> keys, int skipped, String valueName) {
    }

    private static Parsed parse(Path file, String valueColumn, String keyColumn, TimeColumn time,
            Character delimiter) throws IOException {
        try (CsvReader csv = CsvReader.open(file, delimiter)) {
            List<String> cols = csv.header();
            int valueCol = valueColumn != null ? need(cols, valueColumn, file, "--value-column")
                    : cols.contains("value") ? cols.indexOf("value") : cols.size() - 1;
            int keyCol = keyColumn != null ? need(cols, keyColumn, file, "--key-column") : -1;
            int timeCol = time.index(cols, file);
            String fileKey = file.getFileName().toString().replaceFirst("\\.csv$", "");
            Map<String, List<Long>> times = new LinkedHashMap<>();
            Map<String, List<Float>> values = new LinkedHashMap<>();
            int skipped = 0;
            int row = 0;
            for (CsvReader.Row r = csv.next(); r != null; r = csv.next()) {
                String[] v = r.fields();
                float value;
                long t;
                try {
                    if (csv.fieldCountProblem(r) != null) {
                        throw new IllegalArgumentException("ragged");
                    }
                    value = csv.number(v[valueCol]);
                    t = timeCol >= 0 ? EventTimes.parse(v[timeCol]) : row * 60_000L;
                } catch (IllegalArgumentException e) { // NumberFormatException too
                    skipped++;
                    continue;
                }
                if (!Float.isFinite(value)) {
                    skipped++;
                    continue;
                }
                String key = keyCol >= 0 ? v[keyCol] : fileKey;
                times.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                row++;
            }
            List<DemoSeries.Key> keys = new ArrayList<>();
            for (String k : values.keySet()) {
                List<Float> vs = values.get(k);
                List<Long> ts = times.get(k);
                long[] tt = new long[vs.size()];
                float[] vv = new float[vs.size()];
                for (int i = 0; i < vv.length; i++) {
                    tt[i] = ts.get(i);
                    vv[i] = vs.get(i);
                }
                keys.add(new DemoSeries.Key(k, tt, vv, new boolean[vv.length]));
            }
            return new Parsed(keys, skipped, cols.get(valueCol));
        }
    }

    private static int need(List<String> cols, String name, Path file, String option) {
        int i = cols.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(file + " has no column '" + name + "' (" + option + "); columns: "
                    + cols);
        }
        return i;
    }
}
