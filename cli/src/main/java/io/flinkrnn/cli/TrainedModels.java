package io.flinkrnn.cli;

import io.flinkrnn.cli.console.ProgressBar;
import io.flinkrnn.models.train.Trainer;
import io.flinkrnn.models.train.TrainingConfig;
import io.flinkrnn.models.train.TrainingData;
import io.flinkrnn.models.train.TrainingListener;
import io.flinkrnn.models.train.TrainingReport;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training with a progress bar, and writing the artifact with {@code MODEL.report.md} and {@code MODEL.report.json}
 * beside it: what {@code train} and the demo both do. The artifact holds no wall-clock time, so the same data,
 * config and seed give the same bytes.
 */
final class TrainedModels {
    private TrainedModels() {
    }

    /**
     * Trains with a progress bar on {@code out}, writes the artifact and its reports.
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

    /** {@code MODEL.report.EXT} beside {@code MODEL.avro}. */
    static Path reportPath(Path model, String ext) {
        String name = model.getFileName().toString();
        String base = name.endsWith(".avro") ? name.substring(0, name.length() - 5) : name;
        return model.resolveSibling(base + ".report." + ext);
    }
}
