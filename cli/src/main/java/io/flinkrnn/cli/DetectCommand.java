package io.flinkrnn.cli;

import io.flinkrnn.cli.console.ProgressBar;
import io.flinkrnn.cli.csv.TimeColumn;
import io.flinkrnn.models.detect.ChangepointScore;
import io.flinkrnn.models.detect.Detector;
import io.flinkrnn.models.detect.PointwiseScore;
import io.flinkrnn.models.nab.NabCorpus;
import io.flinkrnn.models.nab.NabProfile;
import io.flinkrnn.models.nab.NabScore;
import io.flinkrnn.models.nab.NabSweep;
import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.AnomalyRules;
import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;

/**
 * {@code flink-rnn detect --data FILE|DIR [--features a,b] [--target c] (--probation nab | --train-rows N |
 * --train-fraction X) [--model M] --out DIR [--detector NAME] [--labels WINDOWS.json] [--label-column L
 * --changepoint-column C]}: per key (one per file of a folder, or per value of {@code --key-column}), a model trained
 * only on the key's own first rows (or the given one), every target scored, then every row streamed through the
 * stepper; writes NAB's results layout ({@code DIR/<sub-folder>/<detector>_<file>.csv}: {@code
 * timestamp,value,anomaly_score} and then {@code flagged,raw_score,forecast,lower,upper,anomalous,anomaly_cause,
 * signal_score} and each target's score) and, with NAB's labels, scores them NAB's way, printing {@code nab
 * standard=... low_fp=... low_fn=...} last; with label columns, scores {@code anomalous} row by row and its
 * changes against the change points, per run and overall, printing {@code outliers f1=... far=... mar=...
 * changepoint=...} last. {@code --score-only RESULTS_DIR} scores existing results of any detector.
 */
final class DetectCommand {
    static final List<String> OPTIONS = List.of("data", "key-column", "time-column", CliOptions.DELIMITER, "features",
            "target", "probation",
            "train-rows", "train-fraction", "model", "out", "detector", "labels", "score-only", "threshold", "surprise",
            "coverage", "seed", "forecaster", "adaptation", "targets", "label-column", "changepoint-column", "enter",
            "clear-rows");
    private static final String USAGE = String.join("\n",
            "usage: flink-rnn detect --data FILE|DIR --out DIR (--probation nab | --train-rows N | --train-fraction X)",
            "         [--model MODEL.avro] [--labels WINDOWS.json] [options]",
            "       flink-rnn detect --score-only RESULTS_DIR --detector NAME --labels WINDOWS.json [--out REPORT_DIR]",
            "  --data FILE|DIR       a CSV, or a folder of CSVs one key each (NAB's data/ layout)",
            "  --key-column K        one key per value of K (a single file)",
            "  " + TimeColumn.HELP,
            "  " + CliOptions.DELIMITER_HELP,
            "  --features a,b        input columns (default: every other column but the labels)",
            "  --targets a,b | --target c   the columns scored (default: every feature), jointly and each alone",
            "  --probation nab       train each key on its first min(15%, 750) rows (NAB's probationary period; its",
            "                        length is NAB's function of the file's length, everything else is causal)",
            "  --train-rows N | --train-fraction X   train each key on its first N rows / X of its rows",
            "  --model MODEL.avro    use this model for every key instead of training one per key",
            "  --detector NAME       results file prefix (flinkrnn)   --threshold X flag at score >= X (0.5)",
            "  --surprise X          flag a sudden change at once: an error X times the key's usual one (4.5; 0 = off)",
            "  --coverage X          forecast interval coverage (0.9)   --seed N (1)",
            "  --forecaster model|last-value   last-value: no model, the key's last value (the baseline)",
            "  --adaptation off|head per-key correction of the head learned online (off)",
            "  --labels WINDOWS.json NAB's windows: score the results with NAB's rules, three profiles",
            "  --enter X             anomalous from a target X standard deviations from its normal (4)",
            "  --clear-rows N        ... until N rows in a row stay under it (30)",
            "  --label-column L      score anomalous row by row against L (F1, FAR, MAR) after the training rows",
            "  --changepoint-column C   and its changes against C's change points (NAB standard, 60 s windows)");

    private DetectCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println(USAGE);
            return 0;
        }
        CliOptions o = CliOptions.parse("detect", args, OPTIONS);
        String detector = o.string("detector", "flinkrnn");
        if (!detector.matches("[A-Za-z0-9._-]+")) {
            throw new UsageException("detect: --detector must be letters, digits, '.', '_' or '-', got '" + detector + "'");
        }
        String scoreOnly = o.string("score-only", null);
        if (scoreOnly != null) {
            Path labels = path(o, "labels", true);
            String report = o.string("out", null);
            return score(Paths.get(scoreOnly), detector, labels, report == null ? null : Paths.get(report), out);
        }
        Path data = path(o, "data", false);
        String dest = o.string("out", null);
        if (dest == null) {
            throw new UsageException("detect: --out DIR is required");
        }
        int modes = (o.has("probation") ? 1 : 0) + (o.has("train-rows") ? 1 : 0) + (o.has("train-fraction") ? 1 : 0);
        ForecastModel given = null;
        if (o.has("model")) {
            Path m = path(o, "model", true);
            try (InputStream in = Files.newInputStream(m)) {
                given = ModelArtifacts.read(in, m.toString()).model;
            }
        } else if (modes != 1) {
            throw new UsageException("detect: give exactly one of --probation nab, --train-rows N, --train-fraction X"
                    + " (or --model)");
        }
        if (o.has("probation") && !o.string("probation", "").equals("nab")) {
            throw new UsageException("detect: --probation knows only 'nab', got '" + o.string("probation", "") + "'");
        }
        double fraction = o.has("train-fraction") ? o.decimal("train-fraction", 0.15, 0) : -1;
        int trainRows = o.has("train-rows") ? o.integer("train-rows", 0, 2) : -1;
        StepperSettings settings = new StepperSettings(TimeOrderPolicy.ACCEPT, DuplicatePolicy.STEP, true,
                o.decimal("threshold", StepperSettings.DEFAULT_THRESHOLD, Double.MIN_VALUE),
                o.decimal("coverage", 0.9, 0), Adaptation.valueOf(o.choice("adaptation", "off", "off", "head")
                        .toUpperCase(Locale.ROOT)), PredictCommand.surprise(o, "detect"),
                new AnomalyRules(o.decimal("enter", AnomalyRules.DEFAULTS.enter(), Double.MIN_VALUE),
                        o.integer("clear-rows", AnomalyRules.DEFAULTS.clearRows(), 1)));
        Detector d = new Detector(settings);
        boolean lastValue = o.choice("forecaster", "model", "model", "last-value").equals("last-value");
        long seed = o.integer("seed", 1, 0);
        List<String> features = o.has("features") ? List.of(o.string("features", "").split(",")) : List.of();
        List<String> labelColumns = new ArrayList<>();
        String labelColumn = o.string("label-column", null);
        String changeColumn = o.string("changepoint-column", null);
        if (labelColumn != null) {
            labelColumns.add(labelColumn);
        }
        if (changeColumn != null) {
            labelColumns.add(changeColumn);
        }
        PointwiseScore outliers = PointwiseScore.NONE;
        ChangepointScore changes = new ChangepointScore();
        List<DataFiles.Entry> entries = DataFiles.of(data, "detect");
        Character delimiter = o.delimiter();
        TimeColumn time = TimeColumn.named(o.string("time-column", null));
        Path outDir = Paths.get(dest);
        ProgressBar bar = ProgressBar.forStdout(out);
        long t0 = System.nanoTime();
        double covered = 0;
        long coverTerms = 0;
        List<String> perFile = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            DataFiles.Entry e = entries.get(i);
            CsvSeries csv = CsvSeries.read(e.file(), delimiter,
                    e.key() == null ? o.string("key-column", null) : null, time,
                    given != null ? given.features() : features,
                    given != null ? given.featureCount() : features.isEmpty() ? -1 : features.size(), labelColumns);
            List<String> targets = given != null ? given.targets() : o.has("target") ? List.of(o.string("target", ""))
                    : o.has("targets") ? List.of(o.string("targets", "").split(",")) : csv.featureNames;
            String target = targets.get(0);
            for (Map.Entry<String, List<CsvSeries.Row>> key : byKey(csv).entrySet()) {
                long f0 = System.nanoTime();
                List<CsvSeries.Row> rows = key.getValue();
                Detector.Rows r = rows(rows, csv.featureNames.size());
                int train = trainRows > 0 ? trainRows : fraction >= 0 ? (int) Math.floor(fraction * rows.size())
                        : NabSweep.probation(rows.size());
                Detector.Scores s = given != null ? d.score(given, r, 0)
                        : lastValue ? d.score(Detector.lastValueModel(csv.featureNames, targets,
                                Detector.calendar(r, Math.max(train, 2))), r, 0)
                        : d.detect(key.getKey(), csv.featureNames, targets, r, Math.max(train, 2), seed);
                int c = csv.featureNames.indexOf(target);
                Path file = resultsFile(outDir, detector, e, key.getKey(), csv.keyCount() > 1);
                write(file, rows, c, s);
                double[] cov = coverage(rows, c, s, train);
                covered += cov[0];
                coverTerms += (long) cov[1];
                String line = String.format(Locale.ROOT, "%s rows=%d train_rows=%d train_s=%.1f total_s=%.1f coverage=%.3f",
                        file.getFileName(), rows.size(), train, s.trainSeconds(), (System.nanoTime() - f0) / 1e9,
                        cov[1] > 0 ? cov[0] / cov[1] : Double.NaN);
                if (labelColumn != null) {
                    PointwiseScore p = PointwiseScore.of(s.anomalous(), labels(rows, 0), train);
                    outliers = outliers.plus(p);
                    line += String.format(Locale.ROOT, " f1=%.3f far=%.2f%% mar=%.2f%%", p.f1(), p.falseAlarmRate(),
                            p.missedAlarmRate());
                }
                if (changeColumn != null) {
                    changes.add(file.getFileName().toString(), r.times(), ChangepointScore.changes(s.anomalous()),
                            labels(rows, labelColumn != null ? 1 : 0), train);
                }
                perFile.add(line);
            }
            bar.show("detect", i + 1, entries.size(), e.file().getFileName().toString(), System.nanoTime() - t0);
        }
        bar.finish();
        perFile.forEach(l -> out.println("detect: " + l));
        out.printf(Locale.ROOT, "detect: %d files in %s, interval coverage %.3f (target %.2f) -> %s%n", entries.size(),
                ProgressBar.duration(System.nanoTime() - t0), coverTerms > 0 ? covered / coverTerms : Double.NaN,
                settings.intervalCoverage(), outDir);
        if (labelColumn != null || changeColumn != null) {
            out.printf(Locale.ROOT, "outliers f1=%.3f far=%.2f mar=%.2f changepoint=%.2f%n", outliers.f1(),
                    outliers.falseAlarmRate(), outliers.missedAlarmRate(),
                    changeColumn != null ? changes.standard().normalized : Double.NaN);
        }
        if (o.has("labels")) {
            return score(outDir, detector, path(o, "labels", true), outDir, out);
        }
        return 0;
    }

    /**
     * Scores {@code detector}'s results under {@code dir}; prints the per-profile thresholds and the nab line, and
     * writes {@code <detector>-nab-score.md} (thresholds, per-file figures) into {@code reportDir} unless null.
     */
    static int score(Path dir, String detector, Path labels, Path reportDir, PrintStream out) throws Exception {
        Map<String, List<LocalDateTime[]>> windows = NabCorpus.windows(labels);
        List<NabScore.Scored> corpus = NabCorpus.scored(dir, detector, windows);
        StringBuilder md = new StringBuilder("# NAB score of ").append(detector).append("\n\n")
                .append("| profile | threshold | score | raw |\n|---|---|---|---|\n");
        double[] s = new double[3];
        NabScore standard = null;
        for (int i = 0; i < 3; i++) {
            NabScore n = NabScore.of(NabProfile.ALL.get(i), corpus);
            s[i] = n.normalized;
            standard = i == 0 ? n : standard;
            md.append(String.format(Locale.ROOT, "| %s | %.6f | %.2f | %.3f |%n", n.profile.name(), n.threshold,
                    n.normalized, n.raw));
            out.printf(Locale.ROOT, "detect: %s threshold %.6f score %.2f%n", n.profile.name(), n.threshold,
                    n.normalized);
        }
        md.append("\n## Per file (standard profile)\n\n| file | windows | detected | false positives | raw |\n")
                .append("|---|---|---|---|---|\n");
        for (NabScore.FileScore f : standard.files) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.3f |%n", f.file(), f.windows(),
                    f.detectedWindows(), f.falsePositives(), f.raw()));
        }
        if (reportDir != null) {
            Files.createDirectories(reportDir);
            Files.writeString(reportDir.resolve(detector + "-nab-score.md"), md.toString(), StandardCharsets.UTF_8);
        }
        out.printf(Locale.ROOT, "nab standard=%.2f low_fp=%.2f low_fn=%.2f%n", s[0], s[1], s[2]);
        return 0;
    }

    private static Map<String, List<CsvSeries.Row>> byKey(CsvSeries csv) {
        Map<String, List<CsvSeries.Row>> m = new java.util.LinkedHashMap<>();
        for (CsvSeries.Row r : csv.rows) {
            m.computeIfAbsent(csv.keyName(r.key), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    /** Label column {@code i} of every row. */
    private static float[] labels(List<CsvSeries.Row> rows, int i) {
        float[] out = new float[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.get(r).labels[i];
        }
        return out;
    }

    private static Detector.Rows rows(List<CsvSeries.Row> rows, int f) {
        long[] t = new long[rows.size()];
        float[] x = new float[rows.size() * f];
        for (int i = 0; i < rows.size(); i++) {
            t[i] = rows.get(i).time;
            System.arraycopy(rows.get(i).values, 0, x, i * f, f);
        }
        return new Detector.Rows(t, x);
    }

    /** NAB's layout: DIR/<sub-folder of the data file>/<detector>_<file name>. */
    private static Path resultsFile(Path dir, String detector, DataFiles.Entry e, String key, boolean keyed) {
        if (e.key() != null) {
            return NabCorpus.resultsFile(dir, detector, e.key() + ".csv");
        }
        String name = keyed ? key.replaceAll("[^A-Za-z0-9._-]", "_") + ".csv" : e.file().getFileName().toString();
        return dir.resolve(detector + "_" + name);
    }

    private static void write(Path file, List<CsvSeries.Row> rows, int c, Detector.Scores s) throws Exception {
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
                b.append(CSVFormat.DEFAULT.format(rows.get(r).timestamp)).append(',').append(rows.get(r).values[c]).append(',')
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

    /** How many of the next values after the training rows fell inside the interval issued one row before. */
    private static double[] coverage(List<CsvSeries.Row> rows, int c, Detector.Scores s, int from) {
        double in = 0;
        long n = 0;
        for (int r = Math.max(1, from); r < rows.size(); r++) {
            float v = rows.get(r).values[c];
            if (v >= s.lower()[r - 1] && v <= s.upper()[r - 1]) {
                in++;
            }
            n++;
        }
        return new double[] {in, n};
    }

    private static Path path(CliOptions o, String name, boolean file) {
        String v = o.string(name, null);
        if (v == null) {
            throw new UsageException("detect: --" + name + " is required");
        }
        Path p = Paths.get(v);
        if (file ? !Files.isRegularFile(p) : !Files.exists(p)) {
            throw new UsageException("detect: --" + name + " " + v + (file ? " is not a file" : " does not exist"));
        }
        return p;
    }
}
