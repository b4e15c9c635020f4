package io.flinkrnn.cli;

import io.flinkrnn.cli.console.ProgressBar;
import io.flinkrnn.cli.csv.TimeColumn;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.models.train.ConfigSearch;
import io.flinkrnn.models.train.Trainer;
import io.flinkrnn.models.train.TrainingConfig;
import io.flinkrnn.models.train.TrainingData;
import io.flinkrnn.models.train.TrainingListener;
import io.flinkrnn.models.train.TrainingLoss;
import io.flinkrnn.models.train.TrainingReport;
import io.flinkrnn.models.train.TrainingSplit;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.TimeFeatures;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code flink-rnn train --data FILE.csv ... --out MODEL.avro}: trains a model on history and writes the
 * artifact and, next to it, {@code MODEL.report.md} and {@code MODEL.report.json}. The artifact holds no
 * wall-clock time, so the same data, options and seed give the same bytes.
 */
final class TrainCommand {
    static final List<String> OPTIONS = List.of("data", "key-column", "time-column", CliOptions.DELIMITER, "features",
            "targets", "cell",
            "hidden", "layers", "horizon", "window", "stride", "epochs", "batch", "lr", "clip", "seed", "patience",
            "season", "threads", "train-rows", "val-rows", "test-rows", "train-fraction", "val-fraction", "out",
            "scaling", "scaling-span", "relative", "differences", "time-features", "guard", "guard-recent",
            "guard-level", "guard-evidence", "guard-linear", "budget", "candidates", "precision", "loss", "huber-delta");
    private static final String USAGE = String.join("\n",
            "usage: flink-rnn train --data FILE.csv --out MODEL.avro [options]",
            "  --key-column K        one series per value of K (default: the file is one series)",
            "  " + TimeColumn.HELP + "; never a feature",
            "  " + CliOptions.DELIMITER_HELP,
            "  --features a,b|all    input columns (default: the targets; all: every other column)",
            "  --targets c           forecast columns (default: the last column)",
            "  --scaling per-key|global   each key by its own running mean/variance, or one z-score (default:",
            "                        per-key when every target is a feature, else global)   --scaling-span N ("
                    + ForecastRules.DEFAULT_SCALING_SPAN + ")",
            "  --relative true|false forecast the change from the key's last value (default: as --scaling per-key)",
            "  --differences true|false   also feed each feature's change since the previous row (false)",
            "  --time-features auto|none|day|day-week|week-year|year   calendar inputs from the time column",
            "                        (auto: from the sampling interval; none without a time column)",
            "  --guard true|false    per key, learn online how much of the model's change to trust (default: as",
            "                        --relative)",
            "  --guard-recent N      and over the last N forecasts, fall back when the model has been losing to the",
            "                        last value there (after a regime change); 0 = not (default: "
                    + GuardRules.DEFAULT_RECENT + " with the guard)",
            "  --guard-level N       and forecast steps 2 and on with the key's level over about N rows where that",
            "                        has been more accurate (noise around a level); 0 = not (default: "
                    + GuardRules.DEFAULT_LEVEL + " with the",
            "                        guard and a horizon of 2 or more)",
            "  --guard-evidence X    and leave the last value at step 1 only for a blend that beats it by more than",
            "                        X standard errors (a near tie is noise); 0 = any advantage (default: "
                    + GuardRules.DEFAULT_EVIDENCE + " with",
            "                        the guard)",
            "  --guard-linear N      and forecast any step with a per-key linear model of the key's recent values,",
            "                        fitted over about N rows, where that has been more accurate; 0 = not",
            "                        (default: " + GuardRules.DEFAULT_LINEAR + " with the guard)",
            "  --cell lstm|gru       (lstm)      --hidden N (64)   --layers N (1)",
            "  --horizon N           forecast steps t+1..t+N (24)",
            "  --window N            truncated-BPTT window in rows (96)   --stride N (window/4)",
            "  --epochs N (30)  --batch N windows (32)  --lr X (0.001)  --clip X global norm (1.0)",
            "  --loss mse|huber      squared error, or squared up to --huber-delta X (0.1) and linear beyond, in",
            "                        the targets' training units; early stopping judges by validation MSE or MAE",
            "                        (default: huber under per-key scaling, where spikes are huge in scaled units)",
            "  --seed N (1)  --patience N epochs without a better validation figure (8)  --threads N (all cores)",
            "  --precision float32|float64  backpropagation arithmetic (float32: mini-batch matrix products;",
            "                        float64: the window-at-a-time reference)",
            "  --season N            period of the seasonal-naive baseline in the report (24)",
            "  --train-rows N --val-rows N [--test-rows N]   or   --train-fraction X --val-fraction X (0.7/0.15)",
            "  --budget SECONDS      try a few configurations around the given one (other cell, differences, twice",
            "                        the hidden size, direct forecasts, global z-score, plain guard) within this",
            "                        time, keep the best on validation; the report lists them   --candidates N",
            "                        (at most N, 6)");

    private TrainCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println(USAGE);
            return 0;
        }
        CliOptions o = CliOptions.parse("train", args, OPTIONS);
        String data = o.string("data", null);
        String dest = o.string("out", null);
        if (data == null || dest == null) {
            throw new UsageException("train: --data and --out are required");
        }
        Path file = Paths.get(data);
        if (!Files.exists(file)) {
            throw new UsageException("train: --data " + data + " does not exist (a CSV file or a folder of them)");
        }
        TrainingCsv csv = TrainingCsv.read(file, o.delimiter(), o.string("key-column", null),
                TimeColumn.named(o.string("time-column", null)),
                list(o.string("features", null)), list(o.string("targets", null)));
        TrainingConfig config = config(o, csv);
        for (String p : csv.problems) {
            out.println("train: skipped " + p);
        }
        out.printf(Locale.ROOT, "train: %d series, %d rows (%d bad rows skipped); features %s, targets %s%n",
                csv.data.series.size(), csv.data.rowCount(), csv.problems.size(), csv.data.featureNames,
                csv.data.targetNames);
        out.printf(Locale.ROOT, "train: %s, loss %s%n", config.rules.describe(), config.loss);
        Path model = Paths.get(dest);
        String dataName = file.getFileName().toString() + (Files.isRegularFile(file) ? " sha256:" + sha256(file)
                : " (folder, " + csv.data.series.size() + " files)");
        TrainingReport report;
        if (o.has("budget")) {
            double budget = o.decimal("budget", 600, 1);
            List<ConfigSearch.Tried> tried = ConfigSearch.run(csv.data, config, budget,
                    o.integer("candidates", 6, 1), TrainingListener.NONE);
            for (ConfigSearch.Tried t : tried) {
                TrainingReport.Scores v = t.result().report.validation;
                out.printf(Locale.ROOT, "train: tried %-20s validation mse %.5f mae %.5f (last value %.5f / %.5f) in"
                        + " %.1f s%n", t.change(), v.model.mse, v.model.mae, v.lastValue.mse, v.lastValue.mae,
                        t.seconds());
            }
            ConfigSearch.Tried best = tried.get(0);
            out.println("train: kept " + best.change());
            report = write(best.result(), best.config(), dataName, model, ConfigSearch.markdown(tried));
        } else {
            report = train(csv.data, config, dataName, model, out);
        }
        out.printf(Locale.ROOT, "train: validation mse %.5f mae %.5f (last value %.5f / %.5f, seasonal naive"
                + " %.5f / %.5f, linear %.5f / %.5f)%n", report.validation.model.mse, report.validation.model.mae,
                report.validation.lastValue.mse, report.validation.lastValue.mae,
                report.validation.seasonalNaive.mse, report.validation.seasonalNaive.mae,
                report.validation.linear.mse, report.validation.linear.mae);
        if (report.test != null) {
            out.printf(Locale.ROOT, "train: test mse %.5f mae %.5f (last value %.5f / %.5f, seasonal naive %.5f / %.5f,"
                    + " linear %.5f / %.5f)%n", report.test.model.mse, report.test.model.mae, report.test.lastValue.mse,
                    report.test.lastValue.mae, report.test.seasonalNaive.mse, report.test.seasonalNaive.mae,
                    report.test.linear.mse, report.test.linear.mae);
        }
        out.printf(Locale.ROOT, "train: %s, report %s%n", model, reportPath(model, "md"));
        return 0;
    }

    /**
     * Trains with a progress bar on {@code out}, writes the artifact and its reports; shared with the demo.
     *
     * @param dataName what the artifact's provenance records as the training data
     */
    static TrainingReport train(TrainingData data, TrainingConfig config, String dataName, Path model,
            PrintStream out) throws Exception {
        ProgressBar bar = ProgressBar.forStdout(out);
        Trainer.Result r = Trainer.train(data, config, new TrainingListener() {
            private String lastVal = "";

            @Override
            public void batchDone(int epoch, int epochs, int batch, int batches, double loss, double samplesPerSecond,
                    long elapsed) {
                bar.show("train", (epoch - 1) + (double) batch / batches, epochs, String.format(Locale.ROOT,
                        "epoch %d/%d batch %d/%d loss %.4f%s %.0f samples/s", epoch, epochs, batch, batches, loss,
                        lastVal, samplesPerSecond), elapsed);
            }

            @Override
            public void epochDone(TrainingReport.Epoch e, int epochs) {
                double v = config.loss.judge(e.validationMse, e.validationMae);
                lastVal = Double.isNaN(v) ? "" : String.format(Locale.ROOT, " val %s %.4f", config.loss.judgedBy(), v);
            }
        });
        bar.finish();
        return write(r, config, dataName, model, "");
    }

    /** Writes the artifact and its reports ({@code extra} appended to the markdown). */
    static TrainingReport write(Trainer.Result r, TrainingConfig config, String dataName, Path model, String extra)
            throws Exception {
        Map<String, String> provenance = new TreeMap<>();
        provenance.put("source.format", "flink-rnn train");
        provenance.put("training.data", dataName);
        config.describe().forEach((k, v) -> provenance.put("training." + k, v));
        provenance.put("training.bestEpoch", Integer.toString(r.report.bestEpoch));
        provenance.put("metrics.validation.mse", Double.toString(r.report.validation.model.mse));
        provenance.put("metrics.validation.mae", Double.toString(r.report.validation.model.mae));
        if (model.toAbsolutePath().getParent() != null) {
            Files.createDirectories(model.toAbsolutePath().getParent());
        }
        try (OutputStream os = Files.newOutputStream(model)) {
            ModelArtifacts.write(r.model, provenance, os);
        }
        Files.writeString(reportPath(model, "md"), r.report.toMarkdown() + extra, StandardCharsets.UTF_8);
        Files.writeString(reportPath(model, "json"), r.report.toJson(), StandardCharsets.UTF_8);
        return r.report;
    }

    static Path reportPath(Path model, String ext) {
        String name = model.getFileName().toString();
        String base = name.endsWith(".avro") ? name.substring(0, name.length() - 5) : name;
        return model.resolveSibling(base + ".report." + ext);
    }

    private static TrainingConfig config(CliOptions o, TrainingCsv csv) {
        int horizon = o.integer("horizon", 24, 1);
        ForecastRules rules = rules(o, csv, horizon);
        CellType cell;
        try {
            cell = CellType.parse(o.string("cell", "lstm"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("train: --cell: " + e.getMessage());
        }
        TrainingConfig.Builder b = TrainingConfig.builder().cell(cell)
                .hidden(o.integer("hidden", 64, 1)).layers(o.integer("layers", 1, 1))
                .horizon(horizon).window(o.integer("window", 96, 2))
                .stride(o.integer("stride", 0, 1)).epochs(o.integer("epochs", 30, 1))
                .batch(o.integer("batch", 32, 1)).learningRate(o.decimal("lr", 1e-3, Double.MIN_VALUE))
                .clipNorm(o.decimal("clip", 1.0, Double.MIN_VALUE)).seed(o.integer("seed", 1, 0))
                .patience(o.integer("patience", 8, 1)).season(o.integer("season", 24, 1))
                .threads(o.integer("threads", Runtime.getRuntime().availableProcessors(), 1))
                .precision(precision(o.string("precision", "float32")))
                .loss(loss(o, rules.scaling() == Scaling.PER_KEY)).rules(rules);
        boolean rows = o.has("train-rows") || o.has("val-rows") || o.has("test-rows");
        boolean fractions = o.has("train-fraction") || o.has("val-fraction");
        if (rows && fractions) {
            throw new UsageException("train: give either --train-rows/--val-rows or --train-fraction/--val-fraction");
        }
        if (rows) {
            if (!o.has("train-rows")) {
                throw new UsageException("train: --val-rows/--test-rows need --train-rows");
            }
            b.split(TrainingSplit.rows(o.integer("train-rows", 0, 1), o.integer("val-rows", 0, 0),
                    o.has("test-rows") ? o.integer("test-rows", 0, 0) : -1));
        } else if (fractions) {
            try {
                b.split(TrainingSplit.fractions(o.decimal("train-fraction", 0.7, 0),
                        o.decimal("val-fraction", 0.15, 0)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("train: " + e.getMessage());
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("train: " + e.getMessage());
        }
    }

    /**
     * The rules from the options: {@link ForecastRules#defaults(int)} where every target is a feature, else the plain
     * rules; each option a user gives also sets the defaults of the ones after it (no per-key scaling: no relative
     * forecasts; not relative: no guard; no guard: none of its options).
     */
    private static ForecastRules rules(CliOptions o, TrainingCsv csv, int horizon) {
        List<String> features = csv.data.featureNames;
        List<String> targets = csv.data.targetNames;
        ForecastRules defaults = ForecastRules.defaults(horizon);
        boolean defaultsFit = defaults.targetsProblem(features, targets).isEmpty();
        Scaling scaling = o.choice("scaling", defaultsFit ? "per-key" : "global", "per-key", "global").equals("per-key")
                ? Scaling.PER_KEY : Scaling.GLOBAL;
        boolean relative = o.bool("relative", scaling == Scaling.PER_KEY);
        boolean guard = o.bool("guard", relative);
        GuardRules g = guard ? defaults.guard() : GuardRules.off();
        String time = o.choice("time-features", "auto", "auto", "none", "day", "day-week", "week-year", "year");
        TimeFeatures tf = time.equals("auto") ? (csv.timed ? TimeFeatures.forInterval(medianInterval(csv.data))
                : TimeFeatures.NONE) : TimeFeatures.valueOf(time.toUpperCase(Locale.ROOT).replace('-', '_'));
        try {
            ForecastRules rules = defaults.withScaling(scaling, o.integer("scaling-span", defaults.scalingSpan(), 2))
                    .withRelativeToLast(relative)
                    .withInputDifferences(o.bool("differences", defaults.inputDifferences())).withTimeFeatures(tf).withGuard(new GuardRules(guard, o.integer("guard-recent", g.recent(), 0),
                            o.integer("guard-level", g.level(), 0),
                            (float) o.decimal("guard-evidence", g.evidence(), 0),
                            o.integer("guard-linear", g.linear(), 0)));
            rules.targetsProblem(features, targets).ifPresent(p -> {
                throw new UsageException("train: " + p);
            });
            return rules;
        } catch (IllegalArgumentException e) {
            throw new UsageException("train: " + e.getMessage());
        }
    }

    /** The median gap between consecutive rows of the first series (the sampling interval). */
    static java.time.Duration medianInterval(TrainingData data) {
        return TimeFeatures.samplingInterval(data.series.get(0).times());
    }

    /** {@code --loss}: Huber by default under per-key scaling, MSE under the global z-score. */
    private static TrainingLoss loss(CliOptions o, boolean perKey) {
        String kind = o.choice("loss", perKey ? "huber" : "mse", "huber", "mse");
        if (kind.equals("mse")) {
            if (o.has("huber-delta")) {
                throw new UsageException("train: --huber-delta applies to --loss huber only");
            }
            return TrainingLoss.mse();
        }
        return TrainingLoss.huber(o.decimal("huber-delta", TrainingLoss.DEFAULT_DELTA, Double.MIN_VALUE));
    }

    private static TrainingConfig.Precision precision(String v) {
        switch (v) {
            case "float32":
                return TrainingConfig.Precision.FLOAT32;
            case "float64":
                return TrainingConfig.Precision.FLOAT64;
            default:
                throw new UsageException("train: --precision must be float32 or float64, got '" + v + "'");
        }
    }

    private static List<String> list(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).toList();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    }
}
