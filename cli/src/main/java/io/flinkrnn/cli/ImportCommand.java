package io.flinkrnn.cli;

import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.models.keras.KerasImporter;
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
 * {@code flink-rnn import --onnx FILE.onnx | --keras FILE.keras|FILE.h5 | --keras ARCH.json --weights W.h5
 * --out MODEL.avro [--features a,b,...] [--targets c,...]}: turns a PyTorch ONNX export or a Keras model into a
 * model artifact the streaming job loads.
 */
final class ImportCommand {
    static final List<String> OPTIONS = List.of("onnx", "keras", "weights", "out", "features", "targets");
    private static final String USAGE = "usage: flink-rnn import (--onnx FILE.onnx | --keras FILE.keras|FILE.h5 |"
            + " --keras ARCH.json --weights WEIGHTS.h5) --out MODEL.avro [--features a,b,...] [--targets c,...]";

    private ImportCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 1 && args[0].equals("--help")) {
            out.println(USAGE);
            return 0;
        }
        CliOptions o = CliOptions.parse("import", args, OPTIONS);
        String onnx = o.string("onnx", null);
        String keras = o.string("keras", null);
        String weights = o.string("weights", null);
        String target = o.string("out", null);
        if ((onnx == null) == (keras == null) || target == null) {
            throw new UsageException("import: one of --onnx or --keras, and --out, are required\n" + USAGE);
        }
        if (weights != null && keras == null) {
            throw new UsageException("import: --weights goes with --keras ARCH.json");
        }
        Path in = file(onnx != null ? "--onnx" : "--keras", onnx != null ? onnx : keras);
        Map<String, String> provenance = new LinkedHashMap<>();
        RnnModel model;
        if (onnx != null) {
            model = OnnxImporter.importModel(Files.readAllBytes(in), in.toString());
            provenance.put("source.format", "onnx");
        } else {
            KerasImporter.Imported k = weights == null ? KerasImporter.importModel(Files.readAllBytes(in), in.toString())
                    : KerasImporter.importModel(Files.readString(in), Files.readAllBytes(file("--weights", weights)),
                            in.toString());
            model = k.model();
            provenance.put("source.format", "keras");
            provenance.put("source.keras-version", k.kerasVersion());
            provenance.put("source.layers", k.layers());
            if (weights != null) {
                provenance.put("source.weights", Paths.get(weights).toAbsolutePath().toString());
            }
        }
        List<String> features = names(o.string("features", null), model.inputSize(), "feature", "--features");
        // Head outputs are steps ahead x targets (step-major): the targets must divide them.
        String targetCsv = o.string("targets", null);
        List<String> targets = targetCsv == null ? List.of("y") : Arrays.asList(targetCsv.split(","));
        if (model.outputSize() % targets.size() != 0) {
            throw new UsageException("import: --targets lists " + targets.size() + " names, which does not divide the"
                    + " model's " + model.outputSize() + " outputs (steps ahead x targets)");
        }
        ForecastModel forecastModel;
        try {
            forecastModel = ForecastModel.builder(model).features(features).targets(targets).build();
        } catch (ModelValidationException e) {
            throw new UsageException("import: " + e.getMessage(), e);
        }
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

    private static Path file(String option, String name) {
        Path p = Paths.get(name);
        if (!Files.isRegularFile(p)) {
            throw new UsageException("import: " + option + " " + name + " is not a file");
        }
        return p;
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
