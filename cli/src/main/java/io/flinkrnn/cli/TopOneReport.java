package io.flinkrnn.cli;

import io.flinkrnn.models.detect.TopOne;
import io.flinkrnn.models.nab.NabCorpus;
import io.flinkrnn.models.nab.NabSweep;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code detect --top1 ROWS}: the {@link TopOne} hit rate of each score column, per file and overall, so that the
 * anomaly score and the raw score it is built from can be compared the way archives with one anomaly per series
 * compare detectors. Files without a labelled anomaly are left out. Fed either the scores of a run with label
 * columns or the results in NAB's layout with NAB's windows; prints one line per file and then {@code top1 rows=R
 * files=N anomaly_score=H/N raw_score=H/N}.
 */
final class TopOneReport {
    /** The score columns judged, in the summary's order; a results file without one is judged on the rest. */
    static final List<String> COLUMNS = List.of("anomaly_score", "raw_score");
    private final int margin;
    private final Map<String, Integer> hits = new LinkedHashMap<>();
    /** Per column, the files that had it (a results folder may lack a column in some files). */
    private final Map<String, Integer> judged = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();
    private int files;

    TopOneReport(int margin) {
        this.margin = margin;
    }

    /** One file's (or key's) score columns, its first row after training and its labelled anomalies. */
    void add(String file, Map<String, double[]> columns, int from, List<int[]> anomalies) {
        if (anomalies.isEmpty()) {
            return;
        }
        files++;
        StringBuilder line = new StringBuilder(file);
        for (Map.Entry<String, double[]> c : columns.entrySet()) {
            TopOne t = TopOne.of(c.getValue(), from, anomalies, margin);
            hits.merge(c.getKey(), t.hit() ? 1 : 0, Integer::sum);
            judged.merge(c.getKey(), 1, Integer::sum);
            line.append(String.format(Locale.ROOT, " %s row=%d ties=%d hit=%d", c.getKey(), t.row(), t.ties(),
                    t.hit() ? 1 : 0));
        }
        lines.add(line.toString());
    }

    /** The same for a run's two score columns, as floats (NaN: none yet). */
    void add(String file, float[] anomalyScore, float[] rawScore, int from, List<int[]> anomalies) {
        Map<String, double[]> columns = new LinkedHashMap<>();
        columns.put(COLUMNS.get(0), doubles(anomalyScore));
        columns.put(COLUMNS.get(1), doubles(rawScore));
        add(file, columns, from, anomalies);
    }

    private static double[] doubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /**
     * Every file with windows from {@code detector}'s results under {@code dir} in NAB's layout, judged after NAB's
     * probationary period.
     */
    void addNab(Path dir, String detector, Map<String, List<LocalDateTime[]>> windows) throws IOException {
        for (Map.Entry<String, List<LocalDateTime[]>> e : windows.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Path file = NabCorpus.resultsFile(dir, detector, e.getKey());
            List<LocalDateTime> times = NabCorpus.readResults(file).times();
            Map<String, double[]> columns = new LinkedHashMap<>();
            for (String c : COLUMNS) {
                double[] v = NabCorpus.column(file, c);
                if (v != null) {
                    columns.put(c, v);
                }
            }
            List<int[]> rows;
            try {
                rows = NabCorpus.windowRows(e.getKey(), times, e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IOException(file + ": " + ex.getMessage(), ex);
            }
            add(e.getKey(), columns, NabSweep.probation(times.size()), rows);
        }
    }

    /** Each file's line, then the summary line. */
    void print(PrintStream out) {
        lines.forEach(l -> out.println("top1: " + l));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "top1 rows=%d files=%d", margin, files));
        hits.forEach((c, h) -> s.append(String.format(Locale.ROOT, " %s=%d/%d", c, h, judged.get(c))));
        out.println(s);
    }
}
