package io.flinkrnn.cli;

import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.models.onnx.OnnxImporter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code flink-rnn import --onnx FILE.onnx --out MODEL.avro [--features a,b,...] [--targets c,...]}: turns a
 * PyTorch ONNX export into a model artifact the streaming job loads.
 */
final class ImportCommand {
    static final List<String> OPTIONS = List.of("onnx", "out", "features", "targets");

    private ImportCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println("usage: flink-rnn import --onnx FILE.onnx --out MODEL.avro [--features a,b,...] [--targets c,...]");
            return 0;
        }
        CliOptions o = CliOptions.parse("import", args, OPTIONS);
        String onnx = o.string("onnx", null);
        String target = o.string("out", null);
        if (onnx == null || target == null) {
            throw new UsageException("import: --onnx and --out are required");
        }
        Path in = Paths.get(onnx);
        if (!Files.isRegularFile(in)) {
            throw new UsageException("import: --onnx " + onnx + " is not a file");
        }
        RnnModel model = OnnxImporter.importModel(Files.readAllBytes(in), in.toString());
        List<String> features = names(o.string("features", null), model.inputSize(), "feature", "--features");
        // Head outputs are horizon steps x targets (horizon-major): the targets must divide them.
        String targetCsv = o.string("targets", null);
        List<String> targets = targetCsv == null ? List.of("y") : Arrays.asList(targetCsv.split(","));
        if (model.horizon() % targets.size() != 0) {
            throw new UsageException("import: --targets lists " + targets.size() + " names, which does not divide the"
                    + " model's " + model.horizon() + " outputs (horizon steps x targets)");
        }
        ForecastModel forecastModel;
        try {
            forecastModel = ForecastModel.builder(model).features(features).targets(targets).build();
        } catch (ModelValidationException e) {
            throw new UsageException("import: " + e.getMessage(), e);
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("source.format", "onnx");
        provenance.put("source.file", in.toAbsolutePath().toString());
        provenance.put("created", Instant.now().toString());
        Path dest = Paths.get(target);
        if (dest.getParent() != null) {
            Files.createDirectories(dest.getParent());
        }
        try (OutputStream os = Files.newOutputStream(dest)) {
            ModelArtifacts.write(forecastModel, provenance, os);
        }
        out.println("import: " + model.describe() + " from " + in + " -> " + dest);
        return 0;
    }

    /** The given comma-separated feature names, or feature1..N; a count that does not fit is a usage error. */
    private static List<String> names(String csv, int count, String prefix, String option) {
        if (csv == null) {
            List<String> l = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                l.add(prefix + i);
            }
            return l;
        }
        List<String> l = Arrays.asList(csv.split(","));
        if (l.size() != count) {
            throw new UsageException("import: " + option + " lists " + l.size() + " names but the model has " + count);
        }
        return l;
    }
}
