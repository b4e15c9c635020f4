package io.flinkrnn.cli;

import io.flinkrnn.cli.options.Choices;
import io.flinkrnn.cli.options.DataColumns;
import io.flinkrnn.cli.options.Durations;
import io.flinkrnn.cli.options.Flag;
import io.flinkrnn.cli.options.Numbers;
import io.flinkrnn.cli.options.Threads;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.models.train.ConfigSearch;
import io.flinkrnn.models.train.TrainingConfig;
import io.flinkrnn.models.train.TrainingDefaults;
import io.flinkrnn.models.train.TrainingListener;
import io.flinkrnn.models.train.TrainingLoss;
import io.flinkrnn.models.train.TrainingReport;
import io.flinkrnn.models.train.TrainingSplit;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardError;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.TimeFeatures;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-rnn train --data FILE.csv ... --out MODEL.avro}: trains a model on history and writes the
 * artifact and, next to it, {@code MODEL.report.md} and {@code MODEL.report.json} ({@link TrainedModels}).
 * Defaults are {@link TrainingDefaults} and the rules' own ({@link ForecastRules}, {@link GuardRules}).
 */
@Command(name = "train", sortOptions = false, abbreviateSynopsis = true,
        description = {"trains an LSTM/GRU forecaster on CSV history -> model artifact + report",
            "The artifact holds no wall-clock time: the same data, options and seed give the same bytes."})
final class TrainCommand extends CliCommand {
    @Mixin
    DataColumns data;

    @Option(names = "--out", required = true, paramLabel = "MODEL.avro",
            description = "the model artifact; MODEL.report.md and MODEL.report.json are written beside it")
    Path model;

    @Option(names = "--features", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
            description = "input columns (default: the targets; all: every other column)")
    List<String> features;

    @Option(names = "--targets", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
            description = "forecast columns (default: the last column)")
    List<String> targets;

    @Option(names = "--scaling", paramLabel = "per-key|global", converter = Choices.Scalings.class,
            completionCandidates = Choices.Scalings.class,
            description = "each key by its own running mean/variance, or one z-score (default: per-key when every"
                    + " target is a feature, else global)")
    Scaling scaling;

    @Option(names = "--scaling-span", paramLabel = "N", converter = Numbers.AtLeastTwo.class,
            description = "rows the per-key running mean/variance spans (default: ${DEFAULT-VALUE})")
    int scalingSpan = ForecastRules.DEFAULT_SCALING_SPAN;

    @Option(names = "--relative", arity = "1", paramLabel = "true|false", converter = Flag.class,
            completionCandidates = Flag.class,
            description = "forecast the change from the key's last value (default: as --scaling per-key)")
    Boolean relative;

    @Option(names = "--differences", arity = "1", paramLabel = "true|false", converter = Flag.class,
            completionCandidates = Flag.class,
            description = "also feed each feature's change since the previous row (default: ${DEFAULT-VALUE})")
    boolean differences = ForecastRules.defaults(TrainingDefaults.HORIZON).inputDifferences();

    @Option(names = "--time-features", paramLabel = "KIND", converter = Calendar.Names.class,
            completionCandidates = Calendar.Names.class,
            description = "calendar inputs from the time column, one of ${COMPLETION-CANDIDATES} (default:"
                    + " ${DEFAULT-VALUE}: from the sampling interval; none without a time column)")
    Calendar timeFeatures = Calendar.AUTO;

    @Option(names = "--guard", arity = "1", paramLabel = "true|false", converter = Flag.class,
            completionCandidates = Flag.class,
            description = "per key, learn online how much of the model's change to trust (default: as --relative)")
    Boolean guard;

    @Option(names = "--guard-recent", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "and over the last N forecasts, fall back when the model has been losing to the last value"
                    + " there (after a regime change); 0 = not (default: ${DEFAULT-VALUE} with the guard)")
    int guardRecent = GuardRules.DEFAULT_RECENT;

    @Option(names = "--guard-level", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "and forecast steps 2 and on with the key's level over about N rows where that has been"
                    + " more accurate (noise around a level); 0 = not (default: ${DEFAULT-VALUE} with the guard and a"
                    + " horizon of 2 or more)")
    int guardLevel = GuardRules.DEFAULT_LEVEL;

    @Option(names = "--guard-evidence", paramLabel = "X", converter = Numbers.NonNegative.class,
            description = "and leave the last value at step 1 only for a blend that beats it by more than X standard"
                    + " errors (a near tie is noise); 0 = any advantage (default: ${DEFAULT-VALUE} with the guard)")
    double guardEvidence = GuardRules.DEFAULT_EVIDENCE;

    @Option(names = "--guard-linear", arity = "1", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "and forecast any step with a per-key linear model of the key's recent values, fitted on the"
                    + " key's latest N rows, where that has been more accurate; 0 = not (default: ${DEFAULT-VALUE}"
                    + " with the guard)")
    int guardLinear = GuardRules.DEFAULT_LINEAR;

    @Option(names = "--guard-error", paramLabel = "KIND", converter = Choices.GuardErrors.class,
            completionCandidates = Choices.GuardErrors.class,
            description = "how the guard judges its candidates' misses, one of ${COMPLETION-CANDIDATES} (default:"
                    + " squared under --loss mse, absolute under huber: the error the model is trained with)")
    GuardError guardError;

    @Option(names = "--cell", paramLabel = "lstm|gru", converter = Choices.Cells.class,
            completionCandidates = Choices.Cells.class, description = "the recurrent cell (default: ${DEFAULT-VALUE})")
    CellType cell = TrainingDefaults.CELL;

    @Option(names = "--hidden", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "hidden units per layer (default: ${DEFAULT-VALUE})")
    int hidden = TrainingDefaults.HIDDEN;

    @Option(names = "--layers", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "stacked recurrent layers (default: ${DEFAULT-VALUE})")
    int layers = TrainingDefaults.LAYERS;

    @Option(names = "--horizon", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "forecast steps t+1..t+N (default: ${DEFAULT-VALUE})")
    int horizon = TrainingDefaults.HORIZON;

    @Option(names = "--window", paramLabel = "N", converter = Numbers.AtLeastTwo.class,
            description = "truncated-BPTT window in rows (default: ${DEFAULT-VALUE})")
    int window = TrainingDefaults.WINDOW;

    @Option(names = "--stride", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "rows between window starts (default: a quarter of --window)")
    Integer stride;

    @Option(names = "--epochs", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "at most N passes over the training windows (default: ${DEFAULT-VALUE})")
    int epochs = TrainingDefaults.EPOCHS;

    @Option(names = "--batch", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "windows per optimizer step (default: ${DEFAULT-VALUE})")
    int batch = TrainingDefaults.BATCH;

    @Option(names = "--lr", paramLabel = "X", converter = Numbers.Positive.class,
            description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
    double learningRate = TrainingDefaults.LEARNING_RATE;

    @Option(names = "--clip", paramLabel = "X", converter = Numbers.Positive.class,
            description = "global norm the gradient is clipped to (default: ${DEFAULT-VALUE})")
    double clip = TrainingDefaults.CLIP_NORM;

    @Option(names = "--loss", paramLabel = "mse|huber", converter = Loss.Names.class,
            completionCandidates = Loss.Names.class,
            description = "squared error, or squared up to --huber-delta and linear beyond, in the targets' training"
                    + " units; early stopping judges by validation MSE or MAE (default: huber under per-key scaling,"
                    + " where spikes are huge in scaled units; else mse)")
    Loss loss;

    @Option(names = "--huber-delta", paramLabel = "X", converter = Numbers.Positive.class,
            description = "where the Huber loss turns linear (default: ${DEFAULT-VALUE})")
    double huberDelta = TrainingLoss.DEFAULT_DELTA;

    @Option(names = "--seed", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "initial weights and window order (default: ${DEFAULT-VALUE})")
    int seed = TrainingDefaults.SEED;

    @Option(names = "--patience", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "stop after N epochs without a better validation figure (default: ${DEFAULT-VALUE})")
    int patience = TrainingDefaults.PATIENCE;

    @Mixin
    Threads threads;

    @Option(names = "--precision", paramLabel = "float32|float64", converter = Choices.Precisions.class,
            completionCandidates = Choices.Precisions.class,
            description = "backpropagation arithmetic, float32: mini-batch matrix products; float64: the"
                    + " window-at-a-time reference (default: ${DEFAULT-VALUE})")
    TrainingConfig.Precision precision = TrainingDefaults.PRECISION;

    @Option(names = "--season", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "period of the seasonal-naive baseline in the report (default: ${DEFAULT-VALUE})")
    int season = TrainingDefaults.SEASON;

    @Option(names = "--train-rows", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "train on each key's first N rows (instead of --train-fraction)")
    Integer trainRows;

    @Option(names = "--val-rows", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "validate on the N rows after them (default: ${DEFAULT-VALUE})")
    int valRows = 0;

    @Option(names = "--test-rows", paramLabel = "N", converter = Numbers.AtLeastZero.class,
            description = "and test on the N rows after those (default: the rest)")
    Integer testRows;

    @Option(names = "--train-fraction", paramLabel = "X", converter = Numbers.NonNegative.class,
            description = "train on this fraction of each key's rows (default: ${DEFAULT-VALUE})")
    double trainFraction = TrainingDefaults.TRAIN_FRACTION;

    @Option(names = "--val-fraction", paramLabel = "X", converter = Numbers.NonNegative.class,
            description = "validate on this fraction after them, test on the rest (default: ${DEFAULT-VALUE})")
    double valFraction = TrainingDefaults.VAL_FRACTION;

    @Option(names = "--budget", paramLabel = "DURATION", converter = Durations.class,
            description = "try a few configurations around the given one (other cell, differences, twice the hidden"
                    + " size, direct forecasts, global z-score, plain guard) within this time (90, 90s, 10min), keep"
                    + " the best on validation; the report lists them")
    Duration budget;

    @Option(names = "--candidates", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "with --budget: at most N configurations (default: ${DEFAULT-VALUE})")
    int candidates = TrainingDefaults.CANDIDATES;

    /** {@code --time-features}: the calendar inputs, or {@code auto} to choose them from the sampling interval. */
    enum Calendar {
        AUTO, NONE, DAY, DAY_WEEK, WEEK_YEAR, YEAR;

        static final class Names extends Choices.Of<Calendar> {
            Names() {
                super(Calendar.class);
            }
        }
    }

    /** {@code --loss}. */
    enum Loss {
        MSE, HUBER;

        static final class Names extends Choices.Of<Loss> {
            Names() {
                super(Loss.class);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = out();
        Path file = data.data();
        TrainingCsv csv = TrainingCsv.read(file, data.delimiter, data.keyColumn, data.time(), trimmed(features),
                trimmed(targets));
        TrainingConfig config = config(csv);
        for (String p : csv.problems) {
            out.println("train: skipped " + p);
        }
        out.printf(Locale.ROOT, "train: %d series, %d rows (%d bad rows skipped); features %s, targets %s%n",
                csv.data.series.size(), csv.data.rowCount(), csv.problems.size(), csv.data.featureNames,
                csv.data.targetNames);
        out.printf(Locale.ROOT, "train: %s, loss %s%n", config.rules.describe(), config.loss);
        String dataName = file.getFileName().toString() + (Files.isRegularFile(file) ? " sha256:" + sha256(file)
                : " (folder, " + csv.data.series.size() + " files)");
        TrainingReport report;
        if (budget != null) {
            double seconds = atLeast("--budget", budget.toMillis() / 1000.0, 1);
            List<ConfigSearch.Tried> tried = ConfigSearch.run(csv.data, config, seconds, candidates,
                    TrainingListener.NONE);
            for (ConfigSearch.Tried t : tried) {
                TrainingReport.Scores v = t.result().report.validation;
                out.printf(Locale.ROOT, "train: tried %-20s validation mse %.5f mae %.5f (last value %.5f / %.5f) in"
                        + " %.1f s%n", t.change(), v.model.mse, v.model.mae, v.lastValue.mse, v.lastValue.mae,
                        t.seconds());
            }
            ConfigSearch.Tried best = tried.get(0);
            out.println("train: kept " + best.change());
            report = TrainedModels.write(best.result(), best.config(), dataName, model, ConfigSearch.markdown(tried));
        } else {
            report = TrainedModels.train(csv.data, config, dataName, model, out);
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
        out.printf(Locale.ROOT, "train: %s, report %s%n", model, TrainedModels.reportPath(model, "md"));
        return 0;
    }

    private TrainingConfig config(TrainingCsv csv) {
        ForecastRules rules = rules(csv);
        TrainingConfig.Builder b = TrainingConfig.builder().cell(cell).hidden(hidden).layers(layers)
                .horizon(horizon).window(window).stride(stride == null ? 0 : stride).epochs(epochs).batch(batch)
                .learningRate(learningRate).clipNorm(clip).seed(seed).patience(patience).season(season)
                .threads(threads.threads).precision(precision).loss(loss(rules.scaling() == Scaling.PER_KEY))
                .rules(rules);
        boolean rows = given("--train-rows") || given("--val-rows") || given("--test-rows");
        boolean fractions = given("--train-fraction") || given("--val-fraction");
        if (rows && fractions) {
            throw usage("give either --train-rows/--val-rows or --train-fraction/--val-fraction");
        }
        try {
            if (rows) {
                if (trainRows == null) {
                    throw usage("--val-rows/--test-rows need --train-rows");
                }
                b.split(TrainingSplit.rows(trainRows, valRows, testRows == null ? -1 : testRows));
            } else if (fractions) {
                b.split(TrainingSplit.fractions(trainFraction, valFraction));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * The rules from the options: {@link ForecastRules#defaults(int)} where every target is a feature, else the plain
     * rules; each option a user gives also sets the defaults of the ones after it (no per-key scaling: no relative
     * forecasts; not relative: no guard; no guard: none of its options).
     */
    private ForecastRules rules(TrainingCsv csv) {
        List<String> featureNames = csv.data.featureNames;
        List<String> targetNames = csv.data.targetNames;
        ForecastRules defaults = ForecastRules.defaults(horizon);
        boolean defaultsFit = defaults.targetsProblem(featureNames, targetNames).isEmpty();
        Scaling s = scaling != null ? scaling : defaultsFit ? Scaling.PER_KEY : Scaling.GLOBAL;
        boolean rel = relative != null ? relative : s == Scaling.PER_KEY;
        boolean guarded = guard != null ? guard : rel;
        GuardRules g = guarded ? defaults.guard() : GuardRules.off();
        TimeFeatures tf = switch (timeFeatures) {
            case AUTO -> csv.timed ? TimeFeatures.forInterval(csv.data.samplingInterval()) : TimeFeatures.NONE;
            default -> TimeFeatures.valueOf(timeFeatures.name());
        };
        try {
            ForecastRules rules = defaults.withScaling(s, scalingSpan).withRelativeToLast(rel)
                    .withInputDifferences(differences).withTimeFeatures(tf)
                    .withGuard(new GuardRules(guarded, given("--guard-recent") ? guardRecent : g.recent(),
                            given("--guard-level") ? guardLevel : g.level(),
                            given("--guard-evidence") ? (float) guardEvidence : g.evidence(),
                            given("--guard-linear") ? guardLinear : g.linear(),
                            guardError != null ? guardError : guarded ? GuardRules.errorFor(lossKind(
                                    s == Scaling.PER_KEY) == Loss.MSE) : GuardError.ABSOLUTE));
            rules.targetsProblem(featureNames, targetNames).ifPresent(p -> {
                throw usage(p);
            });
            return rules;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** {@code --loss}: Huber by default under per-key scaling, MSE under the global z-score. */
    private Loss lossKind(boolean perKey) {
        return loss != null ? loss : perKey ? Loss.HUBER : Loss.MSE;
    }

    /** {@code --loss} with its delta. */
    private TrainingLoss loss(boolean perKey) {
        Loss kind = lossKind(perKey);
        if (kind == Loss.MSE) {
            if (given("--huber-delta")) {
                throw usage("--huber-delta applies to --loss huber only");
            }
            return TrainingLoss.mse();
        }
        return TrainingLoss.huber(huberDelta);
    }

    private static List<String> trimmed(List<String> names) {
        return names == null ? List.of() : names.stream().map(String::trim).toList();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    }
}
