package io.flinkrnn.models.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkrnn.models.csv.CsvReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAB's files on disk: the labelled windows ({@code combined_windows.json}: "category/file.csv" -> list of
 * [start, end]) and a detector's results in NAB's layout ({@code <dir>/<category>/<detector>_<file>.csv}
 * with columns {@code timestamp} and {@code anomaly_score}, one row per data row). Every problem names the
 * file and what is wrong.
 */
public final class NabCorpus {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private NabCorpus() {
    }

    /** The windows of every labelled file, in the file's order. */
    public static Map<String, List<LocalDateTime[]>> windows(Path labels) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(labels.toFile());
        } catch (IOException e) {
            throw new IOException(labels + ": not readable as NAB windows JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(labels + ": expected a JSON object of \"category/file.csv\": [[start, end], ...]");
        }
        Map<String, List<LocalDateTime[]>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<LocalDateTime[]> w = new ArrayList<>();
            for (JsonNode pair : e.getValue()) {
                if (!pair.isArray() || pair.size() != 2) {
                    throw new IOException(labels + ": " + e.getKey() + ": a window is not [start, end]: " + pair);
                }
                w.add(new LocalDateTime[] {time(pair.get(0).asText(), labels), time(pair.get(1).asText(), labels)});
            }
            out.put(e.getKey(), w);
        }
        return out;
    }

    static LocalDateTime time(String s, Path source) throws IOException {
        try {
            return LocalDateTime.parse(s.trim(), TIME);
        } catch (DateTimeParseException e) {
            throw new IOException(source + ": '" + s + "' is not a NAB timestamp (yyyy-MM-dd HH:mm:ss)", e);
        }
    }

    /** The results file of {@code detector} for data file {@code name} ("category/file.csv"). */
    public static Path resultsFile(Path dir, String detector, String name) {
        int slash = name.lastIndexOf('/');
        return dir.resolve(name.substring(0, slash + 1) + detector + "_" + name.substring(slash + 1));
    }

    /** One results file: its timestamps and anomaly scores. */
    public record Results(List<LocalDateTime> times, double[] scores) {
    }

    public static Results readResults(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such results file");
        }
        List<LocalDateTime> times = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        try (CsvReader csv = CsvReader.open(file, null)) {
            int t = csv.column("timestamp");
            int a = csv.column("anomaly_score");
            if (t < 0 || a < 0) {
                throw new IOException(file + ": the header " + csv.header() + " lacks timestamp or anomaly_score");
            }
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                String ragged = csv.fieldCountProblem(row);
                if (ragged != null) {
                    throw new IOException(ragged);
                }
                times.add(time(row.fields()[t], file));
                String score = row.fields()[a];
                try {
                    double s = Double.parseDouble(score);
                    if (!Double.isFinite(s)) {
                        throw new NumberFormatException("not finite");
                    }
                    scores.add(s);
                } catch (NumberFormatException e) {
                    throw csv.bad(row, "anomaly_score '" + score + "' is not a finite number");
                }
            }
        }
        return new Results(times, scores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Column {@code name} of a results file, one per row, NaN where empty (a score not there yet); null when the
     * header has no such column.
     */
    public static double[] column(Path file, String name) throws IOException {
        List<Double> out = new ArrayList<>();
        try (CsvReader csv = CsvReader.open(file, null)) {
            int c = csv.column(name);
            if (c < 0) {
                return null;
            }
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                String ragged = csv.fieldCountProblem(row);
                if (ragged != null) {
                    throw new IOException(ragged);
                }
                String v = row.fields()[c];
                try {
                    out.add(v.isEmpty() ? Double.NaN : Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    throw csv.bad(row, name + " '" + v + "' is not a number");
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The rows of each window, [first, last] inclusive: the rows whose timestamps its edges are. */
    public static List<int[]> windowRows(String file, List<LocalDateTime> times, List<LocalDateTime[]> windows) {
        List<int[]> out = new ArrayList<>();
        for (LocalDateTime[] w : windows) {
            out.add(new int[] {NabSweep.indexOf(times, w[0], file), NabSweep.indexOf(times, w[1], file)});
        }
        return out;
    }

    /** Every labelled file's sweep and scores from {@code detector}'s results under {@code dir}. */
    public static List<NabScore.Scored> scored(Path dir, String detector, Map<String, List<LocalDateTime[]>> windows)
            throws IOException {
        List<NabScore.Scored> out = new ArrayList<>();
        for (Map.Entry<String, List<LocalDateTime[]>> e : windows.entrySet()) {
            Results r = readResults(resultsFile(dir, detector, e.getKey()));
            try {
                out.add(new NabScore.Scored(NabSweep.of(e.getKey(), r.times(), e.getValue()), r.scores()));
            } catch (IllegalArgumentException ex) {
                throw new IOException(resultsFile(dir, detector, e.getKey()) + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }
}
