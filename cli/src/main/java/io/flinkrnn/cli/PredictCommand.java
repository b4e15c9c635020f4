package io.flinkrnn.cli;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.Backends;
import io.flinkrnn.stepper.BundleWaves;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
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
 * replays a CSV through a model one step per row, state carried per key, stepping rows in bundles and
 * waves exactly as the streaming operator does, and writes {@code key,timestamp,<target>@<step>...}
 * (de-normalised) in input order. Bad rows are reported with their line numbers and skipped.
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
        RnnModel model = loaded.model;
        CsvSeries csv = CsvSeries.read(data, o.string("key-column", null), o.string("time-column", "timestamp"),
                loaded.features, model.inputSize());
        for (String problem : csv.problems) {
            out.println("predict: skipped " + problem);
        }
        float[][] forecasts = replay(model, csv, batch, BackendOptions.defaults()
                .withKind(BackendKind.parse(o.string("backend", "java")))
                .withThreads(o.integer("threads", Runtime.getRuntime().availableProcessors(), 1)));
        write(Paths.get(outPath), csv, forecasts, columns(loaded.targets, model.horizon()));
        out.printf(Locale.ROOT, "predict: %d rows forecast, %d bad rows skipped, %d keys -> %s%n", csv.rows.size(),
                csv.problems.size(), csv.keyCount(), outPath);
        return 0;
    }

    private static Path required(CliOptions o, String name) {
        String v = o.string(name, null);
        if (v == null) {
            throw new UsageException("predict: --" + name + " is required");
        }
        Path p = Paths.get(v);
        if (!Files.isRegularFile(p)) {
            throw new UsageException("predict: --" + name + " " + v + " is not a file");
        }
        return p;
    }

    /**
     * One step per row, in bundles of {@code batch} rows: within a bundle the first row of every key is
     * stepped as one batch, then the second, and so on, as the operator does.
     */
    static float[][] replay(RnnModel model, CsvSeries csv, int batch, BackendOptions options) {
        int f = model.inputSize();
        int s = model.stateSize();
        int h = model.horizon();
        Normalization norm = model.normalization();
        float[][] states = new float[csv.keyCount()][s];
        float[][] result = new float[csv.rows.size()][];
        float[] x = new float[batch * f];
        float[] st = new float[batch * s];
        float[] y = new float[batch * h];
        try (StepBackend backend = Backends.open(model, options)) {
            for (int from = 0; from < csv.rows.size(); from += batch) {
                int to = Math.min(csv.rows.size(), from + batch);
                int base = from;
                BundleWaves waves = BundleWaves.of(to - from, i -> csv.rows.get(base + i).key);
                for (int wave = 0; wave < waves.waveCount(); wave++) {
                    List<Integer> rows = new ArrayList<>();
                    for (int k = 0; k < waves.keyCount(); k++) {
                        int row = waves.row(k, wave);
                        if (row >= 0) {
                            rows.add(base + row);
                        }
                    }
                    for (int i = 0; i < rows.size(); i++) {
                        CsvSeries.Row row = csv.rows.get(rows.get(i));
                        for (int j = 0; j < f; j++) {
                            x[i * f + j] = norm.normalizeInput(j, row.values[j]);
                        }
                        System.arraycopy(states[row.key], 0, st, i * s, s);
                    }
                    backend.step(rows.size(), x, st, y);
                    for (int i = 0; i < rows.size(); i++) {
                        CsvSeries.Row row = csv.rows.get(rows.get(i));
                        System.arraycopy(st, i * s, states[row.key], 0, s);
                        float[] out = new float[h];
                        for (int j = 0; j < h; j++) {
                            out[j] = norm.denormalizeOutput(j, y[i * h + j]);
                        }
                        result[rows.get(i)] = out;
                    }
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
                for (float v : forecasts[r]) {
                    b.append(',').append(v);
                }
                w.write(b.toString());
                w.newLine();
            }
        }
    }
}
