package io.flinkrnn.cli;

import io.flinkrnn.cli.options.Backend;
import io.flinkrnn.cli.options.DataColumns;
import io.flinkrnn.cli.options.Numbers;
import io.flinkrnn.cli.options.Threads;
import io.flinkrnn.cli.options.Thresholds;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.backends.Backends;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flink-rnn predict --model MODEL.avro --data FILE.csv [--key-column K] [--time-column T] --out F.csv}:
 * replays a CSV through a model one step per row, state carried per key, in bundles through the same {@link
 * KeyStepper} the streaming operator runs, and writes {@code key,timestamp,<target>@<step>...} (then the
 * intervals and the anomaly score, raw score and flag, as the job publishes them) in input order. Bad rows (and rows the stream would reject: time going backwards) are reported and skipped.
 */
@Command(name = "predict", sortOptions = false,
        description = "replays a CSV through a model artifact per key; writes forecasts as CSV")
final class PredictCommand extends CliCommand {
    /** Rows per bundle through the stepper, as the job's batch.size. */
    static final int DEFAULT_BATCH = 512;

    @Option(names = "--model", required = true, paramLabel = "MODEL.avro", description = "the model artifact")
    Path modelPath;

    @Mixin
    DataColumns data;

    @Option(names = "--out", required = true, paramLabel = "FORECASTS.csv", description = "where the forecasts go")
    Path outPath;

    @Option(names = "--batch", paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "rows per bundle through the stepper (default: ${DEFAULT-VALUE})")
    int batch = DEFAULT_BATCH;

    @Mixin
    Backend backend;

    @Mixin
    Threads threads;

    @Mixin
    Thresholds thresholds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = out();
        if (!Files.isRegularFile(modelPath)) {
            throw usage("--model " + modelPath + " is not a file");
        }
        Path dataPath = data.data();
        ModelArtifacts.Loaded loaded;
        try (InputStream in = Files.newInputStream(modelPath)) {
            loaded = ModelArtifacts.read(in, modelPath.toString());
        }
        ForecastModel model = loaded.model;
        CsvSeries csv = CsvSeries.read(dataPath, data.delimiter, data.keyColumn, data.time(), model.features(),
                model.featureCount());
        for (String problem : csv.problems) {
            out.println("predict: skipped " + problem);
        }
        List<String> rejected = new ArrayList<>();
        // As the job's defaults: intervals and anomaly scores whenever the rows carry the targets' values.
        boolean observed = model.targetsObserved();
        StepperSettings settings = StepperSettings.defaults().withAnomalyScoring(observed)
                .withFlagThreshold(thresholds.threshold)
                .withSurpriseThreshold(thresholds.surprise())
                .withIntervals(observed ? thresholds.coverage : 0);
        Result[] results = replay(model, settings, csv, batch, BackendOptions.defaults()
                .withKind(backend.kind).withThreads(threads.threads), rejected);
        for (String problem : rejected) {
            out.println("predict: skipped " + problem);
        }
        write(outPath, csv, results, model, settings);
        out.printf(Locale.ROOT, "predict: %d rows forecast, %d bad rows skipped, %d keys -> %s%n",
                csv.rows.size() - rejected.size(), csv.problems.size() + rejected.size(), csv.keyCount(), outPath);
        return 0;
    }

    /** One row's published fields (null lower/upper/score without intervals or scoring). */
    record Result(float[] values, float[] lower, float[] upper, Float score, Float raw, Boolean flagged,
            Boolean anomalous, String cause) {
    }

    /**
     * One step per row, in bundles of {@code batch} rows through the {@link KeyStepper}, state carried per key:
     * the operator's bits. A row the stepper turns away (its time goes backwards) has no result (null) and is
     * listed in {@code rejected}.
     */
    static Result[] replay(ForecastModel model, StepperSettings settings, CsvSeries csv, int batch,
            BackendOptions options, List<String> rejected) {
        int h = model.outputs();
        boolean intervals = settings.intervalCoverage() > 0;
        boolean scoring = settings.anomalyScoring();
        KeyStateStore states = KeyStateStore.inMemory();
        Result[] result = new Result[csv.rows.size()];
        try (KeyStepper stepper = new KeyStepper(model, settings, Backends.open(model.network(), options), batch)) {
            StepBatch b = stepper.batch();
            for (int from = 0; from < csv.rows.size(); from += batch) {
                int to = Math.min(csv.rows.size(), from + batch);
                b.clear();
                for (int r = from; r < to; r++) {
                    CsvSeries.Row row = csv.rows.get(r);
                    b.add(csv.keyName(row.key), row.time, row.values, 0);
                }
                stepper.step(b, states);
                for (int r = from; r < to; r++) {
                    int i = r - from;
                    if (b.rejected(i)) {
                        rejected.add("row " + (r + 1) + " of key " + b.rowKey(i) + ": " + b.rejectionMessage(i));
                        continue;
                    }
                    float[] f = new float[h];
                    float[] lo = intervals ? new float[h] : null;
                    float[] hi = intervals ? new float[h] : null;
                    for (int j = 0; j < h; j++) {
                        f[j] = b.forecast(i, j);
                        if (intervals) {
                            lo[j] = b.lower(i, j);
                            hi[j] = b.upper(i, j);
                        }
                    }
                    result[r] = new Result(f, lo, hi, scoring ? b.score(i) : null,
                            scoring && !Float.isNaN(b.rawScore(i)) ? b.rawScore(i) : null,
                            scoring ? b.flagged(i) : null, scoring ? b.anomalous(i) : null,
                            scoring && b.anomalous(i) && b.cause(i) >= 0 ? model.targets().get(b.cause(i)) : null);
                }
            }
        }
        return result;
    }

    /**
     * The CSV's columns after key and timestamp: {@code <target>@<step>} for every target, steps 1..S of the first
     * target first ({@code a@1..a@3,b@1..b@3}); then, with intervals, the same with {@code :lower} and {@code
     * :upper}; then {@code anomaly_score,raw_score,flagged,anomalous,anomaly_cause} with scoring.
     */
    static List<String> columns(List<String> targets, int steps, boolean intervals, boolean scoring) {
        List<String> cols = new ArrayList<>();
        for (String suffix : intervals ? List.of("", ":lower", ":upper") : List.of("")) {
            for (String t : targets) {
                for (int k = 1; k <= steps; k++) {
                    cols.add(t + "@" + k + suffix);
                }
            }
        }
        if (scoring) {
            cols.addAll(List.of("anomaly_score", "raw_score", "flagged", "anomalous", "anomaly_cause"));
        }
        return cols;
    }

    private static void write(Path path, CsvSeries csv, Result[] results, ForecastModel model,
            StepperSettings settings) throws Exception {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        boolean intervals = settings.intervalCoverage() > 0;
        boolean scoring = settings.anomalyScoring();
        int targets = model.targetCount();
        int steps = model.steps();
        try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(List.of("key", "timestamp"));
            header.addAll(columns(model.targets(), steps, intervals, scoring));
            w.write(CSVFormat.DEFAULT.format(header.toArray()));
            w.newLine();
            for (int r = 0; r < csv.rows.size(); r++) {
                CsvSeries.Row row = csv.rows.get(r);
                Result res = results[r];
                if (res == null) {
                    continue; // rejected: reported on the terminal, no forecast line
                }
                // Quoted where they hold a comma or a quote ("Seattle, WA"), as they may in the input.
                StringBuilder b = new StringBuilder(CSVFormat.DEFAULT.format(csv.keyName(row.key), row.timestamp));
                for (float[] part : intervals ? List.of(res.values(), res.lower(), res.upper())
                        : List.of(res.values())) {
                    for (int c = 0; c < targets; c++) {
                        for (int k = 0; k < steps; k++) {
                            b.append(',').append(part[k * targets + c]); // values are step-major
                        }
                    }
                }
                if (scoring) {
                    b.append(',').append(res.score()).append(',').append(res.raw() == null ? "" : res.raw())
                            .append(',').append(res.flagged() ? 1 : 0).append(',').append(res.anomalous() ? 1 : 0)
                            .append(',').append(res.cause() == null ? "" : CSVFormat.DEFAULT.format(res.cause()));
                }
                w.write(b.toString());
                w.newLine();
            }
        }
    }
}
