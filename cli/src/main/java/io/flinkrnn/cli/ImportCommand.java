package io.flinkrnn.cli;

import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.models.keras.KerasImporter;
import io.flinkrnn.models.onnx.OnnxImporter;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-rnn import --onnx FILE.onnx | --keras FILE.keras|FILE.h5 | --keras ARCH.json --weights W.h5
 * --out MODEL.avro [--features a,b,...] [--targets c,...]}: turns a PyTorch ONNX export or a Keras model into a
 * model artifact the streaming job loads.
 */
@Command(name = "import", sortOptions = false,
        description = "ONNX export of a PyTorch LSTM/GRU + linear head, or a Keras model -> model artifact (.avro)")
final class ImportCommand extends CliCommand {
    @Option(names = "--onnx", paramLabel = "FILE.onnx", description = "a PyTorch ONNX export")
    Path onnx;

    @Option(names = "--keras", paramLabel = "FILE.keras|FILE.h5|ARCH.json",
            description = "a Keras model, or its architecture with --weights")
    Path keras;

    @Option(names = "--weights", paramLabel = "WEIGHTS.h5", description = "with --keras ARCH.json: its weights")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "MODEL.avro", description = "the model artifact")
    Path dest;

    @Option(names = "--features", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
            description = "the inputs' names (default: feature1..N)")
    List<String> featureNames;

    @Option(names = "--targets", paramLabel = "NAME", split = ",", splitSynopsisLabel = ",",
            description = "the targets' names; they divide the outputs into steps (default: ${DEFAULT-VALUE})")
    List<String> targetNames = List.of("y");

    @Override
    public Integer call() throws Exception {
        if ((onnx == null) == (keras == null)) {
            throw usage("give one of --onnx or --keras");
        }
        if (weights != null && keras == null) {
            throw usage("--weights goes with --keras ARCH.json");
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
                provenance.put("source.weights", weights.toAbsolutePath().toString());
            }
        }
        List<String> features = names(featureNames, model.inputSize(), "feature", "--features");
        // Head outputs are steps ahead x targets (step-major): the targets must divide them.
        List<String> targets = targetNames;
        if (model.outputSize() % targets.size() != 0) {
            throw usage("--targets lists " + targets.size() + " names, which does not divide the model's "
                    + model.outputSize() + " outputs (steps ahead x targets)");
        }
        ForecastModel forecastModel;
        try {
            forecastModel = ForecastModel.builder(model).features(features).targets(targets).build();
        } catch (ModelValidationException e) {
            throw usage(e.getMessage());
        }
        provenance.put("source.file", in.toAbsolutePath().toString());
        provenance.put("created", Instant.now().toString());
        if (dest.getParent() != null) {
            Files.createDirectories(dest.getParent());
        }
        try (OutputStream os = Files.newOutputStream(dest)) {
            ModelArtifacts.write(forecastModel, provenance, os);
        }
        out().println("import: " + model.describe() + " from " + in + " -> " + dest);
        return 0;
    }

    private Path file(String option, Path p) {
        if (!Files.isRegularFile(p)) {
            throw usage(option + " " + p + " is not a file");
        }
        return p;
    }

    /** The given feature names, or feature1..N; a count that does not fit is a usage error. */
    private List<String> names(List<String> given, int count, String prefix, String option) {
        if (given == null) {
            List<String> l = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                l.add(prefix + i);
            }
            return l;
        }
        if (given.size() != count) {
            throw usage(option + " lists " + given.size() + " names but the model has " + count);
        }
        return given;
    }
}
