package io.flinkrnn.cli.demo;

import io.flinkrnn.cli.data.DemoSeries;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.flinkrnn.cli.csv.EventTimes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real series for the demo from CSV: a folder is one key per {@code *.csv} file (e.g. NAB's realTraffic), a
 * file is one series or, with a key column, one per key (e.g. ETTh1.csv). The value column is
 * {@code valueColumn}, else a column named value, else the last column; the time column is one named
 * timestamp, date, time or datetime (ISO or {@code yyyy-MM-dd HH:mm:ss}, or epoch seconds/millis), else the
 * row number in minutes. Rows whose value is not a finite number are skipped and counted.
 */
public final class SeriesFiles {
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");

    private SeriesFiles() {
    }

    /** What was read, and how many rows were skipped. */
    public record Loaded(DemoSeries series, int skippedRows) {
    }

    public static Loaded read(Path path, String valueColumn, String keyColumn) throws IOException {
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
        List<DemoSeries.Key> keys = new ArrayList<>();
        int skipped = 0;
        String valueName = null;
        for (Path f : files) {
            Parsed p = parse(f, valueColumn, keyColumn);
            keys.addAll(p.keys);
            skipped += p.skipped;
            valueName = p.valueName;
        }
        return new Loaded(new DemoSeries(path.toString(), valueName, keys), skipped);
    }

    private record Parsed(List<DemoSeries.Key> keys, int skipped, String valueName) {
    }

    private static Parsed parse(Path file, String valueColumn, String keyColumn) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty (a header row is required)");
            }
            List<String> cols = Arrays.stream(header.split(",", -1)).map(c -> c.trim().replace("\"", "")).toList();
            int valueCol = valueColumn != null ? need(cols, valueColumn, file, "--value-column")
                    : cols.contains("value") ? cols.indexOf("value") : cols.size() - 1;
            int keyCol = keyColumn != null ? need(cols, keyColumn, file, "--key-column") : -1;
            int timeCol = -1;
            for (String t : List.of("timestamp", "date", "time", "datetime")) {
                if (timeCol < 0 && cols.contains(t)) {
                    timeCol = cols.indexOf(t);
                }
            }
            String fileKey = file.getFileName().toString().replaceFirst("\\.csv$", "");
            Map<String, List<long[]>> times = new LinkedHashMap<>();
            Map<String, List<Float>> values = new LinkedHashMap<>();
            int skipped = 0;
            int row = 0;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] v = line.split(",", -1);
                if (v.length != cols.size()) {
                    skipped++;
                    continue;
                }
                float value;
                try {
                    value = Float.parseFloat(v[valueCol].trim());
                } catch (NumberFormatException e) {
                    skipped++;
                    continue;
                }
                if (!Float.isFinite(value)) {
                    skipped++;
                    continue;
                }
                long t = timeCol >= 0 ? time(v[timeCol].trim().replace("\"", ""), row) : row * 60_000L;
                String key = keyCol >= 0 ? v[keyCol].trim() : fileKey;
                times.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {t});
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                row++;
            }
            List<DemoSeries.Key> keys = new ArrayList<>();
            for (String k : values.keySet()) {
                List<Float> vs = values.get(k);
                List<long[]> ts = times.get(k);
                long[] tt = new long[vs.size()];
                float[] vv = new float[vs.size()];
                for (int i = 0; i < vv.length; i++) {
                    tt[i] = ts.get(i)[0];
                    vv[i] = vs.get(i);
                }
                keys.add(new DemoSeries.Key(k, tt, vv, new boolean[vv.length]));
            }
            return new Parsed(keys, skipped, cols.get(valueCol));
        }
    }

    /** Epoch millis from the common spellings ({@link EventTimes}); falls back to the row number in minutes. */
    static long time(String s, int row) {
        try {
            return EventTimes.parse(s);
        } catch (IllegalArgumentException e) {
            return row * 60_000L;
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
