package io.flinkrnn.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.SequenceRunner;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.kernels.model.RnnModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class TrainerTest {

    /** Two keys of a noisy daily-like cycle (period 24) with a slow trend: learnable, not trivial. */
    static TrainingData seasonal(int rows, long seed) {
        List<TrainingData.Series> series = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = 0; k < 2; k++) {
            float[] v = new float[rows];
            for (int r = 0; r < rows; r++) {
                v[r] = (float) (10 + 3 * k + 4 * Math.sin(2 * Math.PI * r / 24.0 + k) + 0.002 * r
                        + 0.3 * (rnd.nextDouble() - 0.5));
            }
            series.add(new TrainingData.Series("key" + k, v, v.clone(), 1, 1));
        }
        return new TrainingData(List.of("value"), List.of("value"), series);
    }

    static TrainingConfig.Builder small(CellType cell) {
        return TrainingConfig.builder().cell(cell).hidden(12).layers(2).horizon(4).window(24).batch(8).epochs(6)
                .learningRate(1e-2).seed(3).threads(1).split(TrainingConfig.Split.rows(600, 150, -1));
    }

    @Test
    void lossGoesDownAndBeatsTheLastValue() {
        for (CellType cell : CellType.values()) {
            Trainer.Result r = Trainer.train(seasonal(900, 1), small(cell).epochs(12).build(), TrainingListener.NONE);
            TrainingReport rep = r.report;
            double first = rep.epochs.get(0).trainMse;
            double last = rep.epochs.get(rep.epochs.size() - 1).trainMse;
            assertTrue(last < 0.5 * first, cell + ": train loss " + first + " -> " + last);
            assertTrue(rep.validation.model.mse < rep.validation.lastValue.mse,
                    cell + ": model " + rep.validation.model + " vs last value " + rep.validation.lastValue);
            assertTrue(rep.test.model.terms > 0);
            assertTrue(rep.toJson().contains("\"seasonalNaive\""));
            assertTrue(rep.toMarkdown().contains("| validation | last value |"));
        }
    }

    @Test
    void sameSeedSameArtifactBytesWhateverTheThreadCount() throws Exception {
        TrainingData data = seasonal(500, 2);
        byte[] one = artifact(Trainer.train(data, small(CellType.GRU).threads(1).build(), TrainingListener.NONE));
        byte[] two = artifact(Trainer.train(data, small(CellType.GRU).threads(2).build(), TrainingListener.NONE));
        byte[] again = artifact(Trainer.train(data, small(CellType.GRU).threads(2).build(), TrainingListener.NONE));
        assertArrayEquals(one, two);
        assertArrayEquals(two, again);
        byte[] other = artifact(Trainer.train(data, small(CellType.GRU).seed(4).build(), TrainingListener.NONE));
        assertTrue(!java.util.Arrays.equals(one, other), "another seed must give another model");
    }

    @Test
    void theLoadedArtifactReproducesTheTrainersForwardPassBitForBit() throws Exception {
        TrainingData data = seasonal(500, 3);
        Trainer.Result r = Trainer.train(data, small(CellType.LSTM).build(), TrainingListener.NONE);
        RnnModel loaded = ModelArtifacts.read(new ByteArrayInputStream(artifact(r)), "test").network();
        assertEquals(r.model, loaded);
        List<PreparedSeries> prepared = new ArrayList<>();
        for (TrainingData.Series s : data.series) {
            prepared.add(new PreparedSeries(s, r.model.normalization(), 1, 1, small(CellType.LSTM).build().split
                    .bounds(s.rows)));
        }
        float[][] trainer = ForecastEvaluation.forecasts(r.model, prepared);
        // the kernels with both keys in one batch, on another thread count, from the loaded artifact
        int rows = data.series.get(0).rows;
        float[] x = new float[2 * rows];
        for (int k = 0; k < 2; k++) {
            for (int t = 0; t < rows; t++) {
                x[k * rows + t] = loaded.normalization().normalizeInput(0, data.series.get(k).features[t]);
            }
        }
        float[] out = new float[2 * rows * loaded.horizon()];
        try (StepBackend b = new CpuStepBackend(loaded, 2, "test")) {
            new SequenceRunner(b).run(2, rows, x, new float[2 * loaded.stateSize()], out, null);
        }
        for (int k = 0; k < 2; k++) {
            float[] mine = java.util.Arrays.copyOfRange(out, k * rows * loaded.horizon(),
                    (k + 1) * rows * loaded.horizon());
            assertArrayEquals(trainer[k], mine, "key " + k);
        }
        ForecastErrors again = ForecastEvaluation.errors(ForecastEvaluation.Predictor.MODEL, prepared, trainer, 4, 1,
                24, ForecastEvaluation.SplitPart.VALIDATION);
        assertEquals(r.report.validation.model.mse, again.mse, 0.0);
    }

    @Test
    void badSettingsFailAtBuildNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().window(0).build());
        assertTrue(e.getMessage().startsWith("window"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().learningRate(-1).build());
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.Split.fractions(0.9, 0.2));
        assertTrue(e.getMessage().contains("fractions"), e.getMessage());
    }

    private static byte[] artifact(Trainer.Result r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelArtifacts.write(ForecastModel.builder(r.model).features(List.of("value")).targets(List.of("value")).build(),
                Map.of("source", "test", "seed", "3"), out);
        return out.toByteArray();
    }
}
