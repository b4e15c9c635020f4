package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 2-target x 3-step model through predict: columns a@1..a@3,b@1..b@3, each the stepper's value for it. */
class PredictCommandTest {
    @Test
    void twoTargetsThreeStepsAreNamedAndPlacedRight(@TempDir Path tmp) throws Exception {
        ForecastModel m = ForecastModel.builder(RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 8, 1,
                6, 4)).features(List.of("a", "b")).targets(List.of("a", "b")).scaling(Scaling.PER_KEY, 50)
                .relativeToLast(true).build();
        assertEquals(3, m.steps());
        Path artifact = tmp.resolve("m.avro");
        try (OutputStream os = Files.newOutputStream(artifact)) {
            ModelArtifacts.write(m, Map.of(), os);
        }
        StringBuilder csv = new StringBuilder("timestamp,a,b\n");
        float[][] rows = new float[40][];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = new float[] {(float) Math.sin(t * 0.3), 10f + t};
            csv.append(t * 60).append(',').append(rows[t][0]).append(',').append(rows[t][1]).append('\n');
        }
        Path data = tmp.resolve("d.csv");
        Files.writeString(data, csv.toString());
        Path out = tmp.resolve("f.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, FlinkRnnCli.run(new String[] {"predict", "--model", artifact.toString(), "--data",
            data.toString(), "--out", out.toString(), "--batch", "7"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        List<String> lines = Files.readAllLines(out);
        List<String[]> fields = CsvFields.of(out);
        assertEquals("key,timestamp,a@1,a@2,a@3,b@1,b@2,b@3,a@1:lower,a@2:lower,a@3:lower,b@1:lower,b@2:lower,"
                + "b@3:lower,a@1:upper,a@2:upper,a@3:upper,b@1:upper,b@2:upper,b@3:upper,anomaly_score,raw_score,"
                + "flagged,anomalous,anomaly_cause", lines.get(0));
        StepperSettings settings = StepperSettings.defaults().withAnomalyScoring(true).withIntervals(0.9);
        try (KeyStepper s = new KeyStepper(m, settings, new CpuStepBackend(m.network(), 1, "test"), 1)) {
            StepBatch b = s.batch();
            KeyStateStore state = KeyStateStore.inMemory();
            for (int t = 0; t < rows.length; t++) {
                b.clear();
                b.add("series", t * 60_000L, rows[t], 0);
                s.step(b, state);
                String[] got = fields.get(t + 1);
                for (int c = 0; c < 2; c++) {
                    for (int k = 1; k <= 3; k++) {
                        float v = b.forecast(0, (k - 1) * 2 + c); // values are step-major
                        assertEquals(v, Float.parseFloat(got[2 + c * 3 + (k - 1)]), 0f, "row " + t + " target " + c
                                + " step " + k);
                        assertEquals(v - b.halfWidth(0, (k - 1) * 2 + c), Float.parseFloat(got[8 + c * 3 + (k - 1)]),
                                0f);
                    }
                }
                assertEquals(b.score(0), Float.parseFloat(got[20]), 0f);
            }
        }
    }
}
