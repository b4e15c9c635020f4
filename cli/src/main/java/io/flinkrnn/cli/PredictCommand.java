package io.flinkrnn.cli;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.Backends;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyState;
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
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code flink-rnn predict --model MODEL.avro --data FILE.csv [--key-column K] [--time-column T] --out F.csv}:
 * replays a CSV through a model one step per row, state carried per key, in bundles through the same {@link
 * KeyStepper} the streaming operator runs, and writes {@code key,timestamp,<target>@<step>...} in input
 * order. Bad rows (and rows the stream would reject: time going backwards) are reported and skipped.
 */
final class PredictCommand {
    static final List<String> OPTIONS = List.of("model", "data", "key-column", "time-column", "out", "batch",
            "backend", "threads");

    private PredictCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println("usage: flink-rnn predict --model MODEL.avro --data FILE.csv [--key-column K]"
                    + " [--time-column T] --out FORECASTS.csv [--batch N] [--backend java|opencl|auto] [--threads T]");
            return 0;
        }
        CliOptions o = CliOptions.parse("predict", args, OPTIONS);
        Path modelPath = required(o, "model");
        Path data = required(o, "data");
        String outPath = o.string("out", null);
        if (outPath == null) {
            throw new UsageException("predict: --out is required");
        }
        int batch = o.integer("batch", 512, 1);
        ModelArtifacts.Loaded loaded;
        try (InputStream in = Files.newInputStream(modelPath)) {
            loaded = ModelArtifacts.read(in, modelPath.toString());
        }
        ForecastModel model = loaded.model;
        CsvSeries csv = CsvSeries.read(data, o.string("key-column", null), o.string("time-column", "timestamp"),
                model.features(), model.featureCount());
        for (String problem : csv.problems) {
            out.println("predict: skipped " + problem);
        }
        List<String> rejected = new ArrayList<>();
        float[][] forecasts = replay(model, csv, batch, BackendOptions.defaults()
                .withKind(BackendKind.parse(o.string("backend", "java")))
                .withThreads(o.integer("threads", Runtime.getRuntime().availableProcessors(), 1)), rejected);
        for (String problem : rejected) {
            out.println("predict: skipped " + problem);
        }
        write(Paths.get(outPath), csv, forecasts, columns(model.targets(), model.outputs()));
        out.printf(Locale.ROOT, "predict: %d rows forecast, %d bad rows skipped, %d keys -> %s%n",
                csv.rows.size() - rejected.size(), csv.problems.size() + rejected.size(), csv.keyCount(), outPath);
        return 0;
    }

    private static Path required(CliOptions o, String name) {
        String v = o.string(name, null);
        if (v == null) {
            throw new UsageException("predict: --" + name + " is required");
        }
        Path p = Paths.get(v);
        if (name.equals("data") ? !Files.exists(p) : !Files.isRegularFile(p)) {
            throw new UsageException("predict: --" + name + " " + v + (name.equals("data")
                    ? " does not exist (a CSV file or a folder of them)" : " is not a file"));
        }
        return p;
    }

    /**
     * One step per row, in bundles of {@code batch} rows through the {@link KeyStepper}, state carried per key:
     * the operator's bits. A row the stepper turns away (its time goes backwards) has no forecast (null) and
     * is listed in {@code rejected}.
     */
    static float[][] replay(ForecastModel model, CsvSeries csv, int batch, BackendOptions options,
            List<String> rejected) {
        int h = model.outputs();
        KeyState[] states = new KeyState[csv.keyCount()];
        float[][] result = new float[csv.rows.size()][];
        try (KeyStepper stepper = new KeyStepper(model, StepperSettings.defaults(),
                Backends.open(model.network(), options), batch)) {
            StepBatch b = stepper.batch();
            int[] keyOf = new int[batch];
            for (int from = 0; from < csv.rows.size(); from += batch) {
                int to = Math.min(csv.rows.size(), from + batch);
                b.clear();
                for (int r = from; r < to; r++) {
                    CsvSeries.Row row = csv.rows.get(r);
                    b.add(csv.keyName(row.key), row.time, row.values, 0);
                }
                int keys = b.plan();
                for (int r = from; r < to; r++) {
                    keyOf[b.keyOf(r - from)] = csv.rows.get(r).key;
                }
                for (int k = 0; k < keys; k++) {
                    b.state(k, states[keyOf[k]]);
                }
                stepper.step(b);
                for (int k = 0; k < keys; k++) {
                    states[keyOf[k]] = b.state(k);
                }
                for (int r = from; r < to; r++) {
                    if (b.rejected(r - from)) {
                        rejected.add("row " + (r + 1) + " of key " + b.rowKey(r - from) + ": "
                                + b.rejectionMessage(r - from));
                        continue;
                    }
                    float[] f = new float[h];
                    for (int i = 0; i < h; i++) {
                        f[i] = b.forecast(r - from, i);
                    }
                    result[r] = f;
                }
            }
        }
        return result;
    }

    /** {@code <target>@<step>} for every head output, horizon-major (output i = step i/T+1 of target i%T). */
    static List<String> columns(List<String> targets, int outputs) {
        List<String> t = targets.isEmpty() ? List.of("y") : targets;
        if (outputs % t.size() != 0) {
            t = List.of("y");
        }
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            cols.add(t.get(i % t.size()) + "@" + (i / t.size() + 1));
        }
        return cols;
    }

    private static void write(Path path, CsvSeries csv, float[][] forecasts, List<String> columns) throws Exception {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            w.write("key,timestamp," + String.join(",", columns));
            w.newLine();
            for (int r = 0; r < csv.rows.size(); r++) {
                CsvSeries.Row row = csv.rows.get(r);
                StringBuilder b = new StringBuilder(csv.keyName(row.key)).append(',').append(row.timestamp);
                if (forecasts[r] == null) {
                    continue; // rejected: reported on the terminal, no forecast line
                }
                for (float v : forecasts[r]) {
                    b.append(',').append(v);
                }
                w.write(b.toString());
                w.newLine();
            }
        }
    }
}
