package io.flinkrnn.cli;

import io.flinkrnn.cli.console.ProgressBar;
import io.flinkrnn.cli.csv.TimeColumn;
import io.flinkrnn.cli.options.Choices;
import io.flinkrnn.cli.options.DataColumns;
import io.flinkrnn.cli.options.Numbers;
import io.flinkrnn.cli.options.Thresholds;
import io.flinkrnn.models.detect.ChangepointScore;
import io.flinkrnn.models.detect.Detector;
import io.flinkrnn.models.detect.PointwiseScore;
import io.flinkrnn.models.detect.TopOne;
import io.flinkrnn.models.nab.NabCorpus;
import io.flinkrnn.models.nab.NabProfile;
import io.flinkrnn.models.nab.NabScore;
import io.flinkrnn.models.nab.NabSweep;
import io.flinkrnn.models.train.TrainingDefaults;
import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.AnomalyRules;
import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
 * changepoint=...} last. {@code --score-only RESULTS_DIR} scores existing results of any detector. {@code --top1
 * ROWS} adds, with either kind of labels, the {@link TopOneReport top-1 hit rate} of the anomaly and raw scores.
 */
@Command(name = "detect", sortOptions = false,
        customSynopsis = {"flink-rnn detect --data FILE|DIR --out DIR (--probation nab | --train-rows N |"
                + " --train-fraction X)",
            "                        [--model MODEL.avro] [--labels WINDOWS.json] [options]",
            "       flink-rnn detect --score-only RESULTS_DIR --detector NAME --labels WINDOWS.json [--out DIR]"},
        description = "per-key anomaly detection on a file or folder (NAB results layout); scores NAB's way")
final class DetectCommand extends CliCommand {
    @Mixin
    DataColumns data;

    @Option(names = "--out", paramLabel = "DIR", description = "the results folder (NAB's layout)")
    Path outDir;

    @Option(names = "--features", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
            description = "input columns (default: every other column but the labels)")
    List<String> features;

    @Option(names = "--targets", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
            description = "the columns scored, jointly and each alone (default: every feature)")
    List<String> targets;

    @Option(names = "--target", paramLabel = "c", description = "one column scored")
    String target;

    @Option(names = "--probation", paramLabel = "nab", converter = Probation.Names.class,
            completionCandidates = Probation.Names.class,
            description = "train each key on its first min(15%%, 750) rows (NAB's probationary period; its length is"
                    + " NAB's function of the file's length, everything else is causal)")
    Probation probation;

    @Option(names = "--train-rows", paramLabel = "N", converter = Numbers.AtLeastTwo.class,
            description = "train each key on its first N rows")
    Integer trainRows;

    @Option(names = "--train-fraction", paramLabel = "X", converter = Numbers.NonNegative.class,
            description = "train each key on this fraction of its rows")
    Double trainFraction;

    @Option(names = "--model", paramLabel = "MODEL.avro",
            description = "use this model for every key instead of training one per key")
    Path modelPath;

    @Option(names = "--detector", paramLabel = "NAME",
            description = "results file prefix: letters, digits, '.', '_' or '-' (default: ${DEFAULT-VALUE})")
    String detector = "flinkrnn";

    @Mixin
    Thresholds thresholds;

    @Option(names = "--seed", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "the per-key models' initial weights (default: ${DEFAULT-VALUE})")
    int seed = TrainingDefaults.SEED;

    @Option(names = "--forecaster", paramLabel = "model|last-value", converter = Forecaster.Names.class,
            completionCandidates = Forecaster.Names.class,
            description = "last-value: no model, the key's last value (the baseline) (default: ${DEFAULT-VALUE})")
    Forecaster forecaster = Forecaster.MODEL;

    @Option(names = "--adaptation", paramLabel = "off|head", converter = Choices.Adaptations.class,
            completionCandidates = Choices.Adaptations.class,
            description = "per-key correction of the head learned online (default: ${DEFAULT-VALUE})")
    Adaptation adaptation = Adaptation.OFF;

    @Option(names = "--labels", paramLabel = "WINDOWS.json",
            description = "NAB's windows: score the results with NAB's rules, three profiles")
    Path labels;

    @Option(names = "--score-only", paramLabel = "RESULTS_DIR",
            description = "score existing results of any detector (with --detector and --labels)")
    Path scoreOnly;

    @Option(names = "--enter", paramLabel = "X", converter = Numbers.Positive.class,
            description = "anomalous from a target X standard deviations from its normal (default: ${DEFAULT-VALUE})")
    double enter = AnomalyRules.DEFAULTS.enter();

    @Option(names = "--clear-rows", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "... until N rows in a row stay under it (default: ${DEFAULT-VALUE})")
    int clearRows = AnomalyRules.DEFAULTS.clearRows();

    @Option(names = "--label-column", paramLabel = "L",
            description = "score anomalous row by row against L (F1, FAR, MAR) after the training rows")
    String labelColumn;

    @Option(names = "--changepoint-column", paramLabel = "C",
            description = "and its changes against C's change points (NAB standard, 60 s windows)")
    String changeColumn;

    @Option(names = "--top1", paramLabel = "ROWS", converter = Numbers.AtLeastZero.class,
            description = "with --labels or --label-column: per file and overall, whether anomaly_score and raw_score"
                    + " each put their highest value after the training rows (NAB's probationary period with"
                    + " --labels; on a tie the first such row) within ROWS rows of a labelled anomaly, i.e. at a row in"
                    + " [first - ROWS, last + ROWS] of a NAB window or a run of labelled rows; files without one are"
                    + " left out")
    Integer top1;

    /** {@code --probation}: NAB's probationary period is the only one. */
    enum Probation {
        NAB;

        static final class Names extends Choices.Of<Probation> {
            Names() {
                super(Probation.class);
            }
        }
    }

    /** {@code --forecaster}. */
    enum Forecaster {
        MODEL, LAST_VALUE;

        static final class Names extends Choices.Of<Forecaster> {
            Names() {
                super(Forecaster.class);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = out();
        if (!detector.matches("[A-Za-z0-9._-]+")) {
            throw usage("--detector must be letters, digits, '.', '_' or '-', got '" + detector + "'");
        }
        if (top1 != null && labels == null && labelColumn == null) {
            throw usage("--top1 needs labels: --labels WINDOWS.json or --label-column L");
        }
        if (scoreOnly != null) {
            topOne(scoreOnly, out);
            return score(scoreOnly, detector, file("--labels", labels), outDir, out);
        }
        Path dataPath = data.data();
        if (outDir == null) {
            throw usage("--out DIR is required");
        }
        int modes = (probation != null ? 1 : 0) + (trainRows != null ? 1 : 0) + (trainFraction != null ? 1 : 0);
        ForecastModel given = null;
        if (modelPath != null) {
            Path m = file("--model", modelPath);
            try (InputStream in = Files.newInputStream(m)) {
                given = ModelArtifacts.read(in, m.toString()).model;
            }
        } else if (modes != 1) {
            throw usage("give exactly one of --probation nab, --train-rows N, --train-fraction X (or --model)");
        }
        double fraction = trainFraction != null ? trainFraction : -1;
        int firstRows = trainRows != null ? trainRows : -1;
        StepperSettings settings = new StepperSettings(TimeOrderPolicy.ACCEPT, DuplicatePolicy.STEP, true,
                thresholds.threshold, thresholds.coverage, adaptation, thresholds.surprise(),
                new AnomalyRules(enter, clearRows));
        Detector d = new Detector(settings);
        boolean lastValue = forecaster == Forecaster.LAST_VALUE;
        List<String> features = this.features != null ? this.features : List.of();
        List<String> labelColumns = new ArrayList<>();
        if (labelColumn != null) {
            labelColumns.add(labelColumn);
        }
        if (changeColumn != null) {
            labelColumns.add(changeColumn);
        }
        TopOneReport tops = top1 != null ? new TopOneReport(top1) : null;
        PointwiseScore outliers = PointwiseScore.NONE;
        ChangepointScore changes = new ChangepointScore();
        List<DataFiles.Entry> entries = DataFiles.of(dataPath, "detect");
        TimeColumn time = data.time();
        ProgressBar bar = ProgressBar.forStdout(out);
        long t0 = System.nanoTime();
        double covered = 0;
        long coverTerms = 0;
        List<String> perFile = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            DataFiles.Entry e = entries.get(i);
            CsvSeries csv = CsvSeries.read(e.file(), data.delimiter, e.key() == null ? data.keyColumn : null, time,
                    given != null ? given.features() : features,
                    given != null ? given.featureCount() : features.isEmpty() ? -1 : features.size(), labelColumns);
            List<String> scored = given != null ? given.targets() : target != null ? List.of(target)
                    : targets != null ? targets : csv.featureNames;
            String first = scored.get(0);
            for (Map.Entry<String, List<CsvSeries.Row>> key : byKey(csv).entrySet()) {
                long f0 = System.nanoTime();
                List<CsvSeries.Row> rows = key.getValue();
                Detector.Rows r = rows(rows, csv.featureNames.size());
                int train = firstRows > 0 ? firstRows : fraction >= 0 ? (int) Math.floor(fraction * rows.size())
                        : NabSweep.probation(rows.size());
                Detector.Scores s = given != null ? d.score(given, r, 0)
                        : lastValue ? d.score(Detector.lastValueModel(csv.featureNames, scored,
                                Detector.calendar(r, Math.max(train, 2))), r, 0)
                        : d.detect(key.getKey(), csv.featureNames, scored, r, Math.max(train, 2), seed);
                int c = csv.featureNames.indexOf(first);
                Path file = DetectResults.file(outDir, detector, e, key.getKey(), csv.keyCount() > 1);
                DetectResults.write(file, rows, c, s);
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
                if (tops != null && labelColumn != null) {
                    tops.add(file.getFileName().toString(), s.score(), s.raw(), train, TopOne.runs(labels(rows, 0)));
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
        if (tops != null && labelColumn != null) {
            tops.print(out);
        }
        if (labelColumn != null || changeColumn != null) {
            out.printf(Locale.ROOT, "outliers f1=%.3f far=%.2f mar=%.2f changepoint=%.2f%n", outliers.f1(),
                    outliers.falseAlarmRate(), outliers.missedAlarmRate(),
                    changeColumn != null ? changes.standard().normalized : Double.NaN);
        }
        if (labels != null) {
            topOne(outDir, out);
            return score(outDir, detector, file("--labels", labels), outDir, out);
        }
        return 0;
    }

    /** {@code --top1} with {@code --labels}: judged on the results under {@code dir}, printed before NAB's score. */
    private void topOne(Path dir, PrintStream out) throws Exception {
        if (top1 != null && labels != null) {
            TopOneReport t = new TopOneReport(top1);
            t.addNab(dir, detector, NabCorpus.windows(file("--labels", labels)));
            t.print(out);
        }
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

    /** {@code value} of {@code option}, which must be a file. */
    private Path file(String option, Path value) {
        if (value == null) {
            throw usage(option + " is required");
        }
        if (!Files.isRegularFile(value)) {
            throw usage(option + " " + value + " is not a file");
        }
        return value;
    }
}
