package io.flinkrnn.cli;

import io.flinkrnn.models.detect.Detector;
import io.flinkrnn.models.nab.NabCorpus;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * Where {@code detect} writes a key's scores and in which columns: NAB's results layout, so that NAB's own scorer
 * and ours read them as they read any detector's, with the columns only this detector has after NAB's three.
 */
final class DetectResults {
    private DetectResults() {
    }

    /** NAB's layout: DIR/<sub-folder of the data file>/<detector>_<file name>. */
    static Path file(Path dir, String detector, DataFiles.Entry e, String key, boolean keyed) {
        if (e.key() != null) {
            return NabCorpus.resultsFile(dir, detector, e.key() + ".csv");
        }
        String name = keyed ? key.replaceAll("[^A-Za-z0-9._-]", "_") + ".csv" : e.file().getFileName().toString();
        return dir.resolve(detector + "_" + name);
    }

    /** A key's rows and scores ({@code c}: the first target's feature column, whose values are NAB's value). */
    static void write(Path file, List<CsvSeries.Row> rows, int c, Detector.Scores s) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<String> targets = s.model().targets();
            int t = targets.size();
            w.write("timestamp,value,anomaly_score,flagged,raw_score,forecast,lower,upper,anomalous,anomaly_cause,"
                    + "signal_score");
            for (String name : targets) {
                w.write(",score_" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
            }
            w.newLine();
            for (int r = 0; r < rows.size(); r++) {
                StringBuilder b = new StringBuilder();
                b.append(CSVFormat.DEFAULT.format(rows.get(r).timestamp)).append(',').append(rows.get(r).values[c])
                        .append(',')
                        .append(s.score()[r]).append(',').append(s.flagged()[r] ? 1 : 0).append(',')
                        .append(Float.isNaN(s.raw()[r]) ? "" : s.raw()[r]).append(',').append(s.forecast()[r])
                        .append(',').append(s.lower()[r]).append(',').append(s.upper()[r]).append(',')
                        .append(s.anomalous()[r] ? 1 : 0).append(',')
                        .append(s.cause()[r] < 0 || !s.anomalous()[r] ? "" : CSVFormat.DEFAULT.format(targets.get(
                                s.cause()[r]))).append(',')
                        .append(Float.isNaN(s.joint()[r]) ? "" : s.joint()[r]);
                for (int i = 0; i < t; i++) {
                    float v = s.signals()[r * t + i];
                    b.append(',').append(Float.isNaN(v) ? "" : v);
                }
                w.write(b.toString());
                w.newLine();
            }
        }
    }
}
