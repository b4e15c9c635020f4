package io.flinkrnn.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeFeatures;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
                .learningRate(1e-2).seed(3).threads(1).split(TrainingSplit.rows(600, 150, -1));
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
        // The float64 reference keeps the same rule: same bytes at any thread count.
        assertArrayEquals(artifact(Trainer.train(data, small(CellType.GRU).threads(1)
                .precision(TrainingConfig.Precision.FLOAT64).build(), TrainingListener.NONE)),
                artifact(Trainer.train(data, small(CellType.GRU).threads(2).precision(TrainingConfig.Precision.FLOAT64)
                        .build(), TrainingListener.NONE)));
    }

    /**
     * A key that sits at exactly 0 and then jumps to the thousands: under per-key scaling its floored scale
     * (1e-12) makes the jump's targets ~1e15 scaled units; left in, their squares (~1e30) would be the whole loss.
     */
    @Test
    void aJumpOutOfAConstantStretchDoesNotSwampTheLoss() {
        TrainingData calm = seasonal(900, 4);
        float[] v = new float[900];
        for (int r = 300; r < 900; r++) {
            v[r] = 2000 + (float) Math.sin(r / 5.0);
        }
        List<TrainingData.Series> series = new ArrayList<>(calm.series);
        series.add(new TrainingData.Series("jump", v, v.clone(), 1, 1));
        TrainingData data = new TrainingData(calm.featureNames, calm.targetNames, series);
        for (TrainingConfig.Precision p : TrainingConfig.Precision.values()) {
            TrainingReport rep = Trainer.train(data, small(CellType.LSTM).rules(ForecastRules.plain()
                    .withScaling(Scaling.PER_KEY, 100).withRelativeToLast(true)).precision(p).build(),
                    TrainingListener.NONE).report;
            for (TrainingReport.Epoch e : rep.epochs) {
                assertTrue(e.trainMse < 1e6, p + ": epoch " + e.number + " train MSE " + e.trainMse);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void float32TrainsAsWellAsTheFloat64Reference(CellType cell) {
        TrainingData data = seasonal(800, 1);
        TrainingReport f32 = Trainer.train(data, small(cell).build(), TrainingListener.NONE).report;
        TrainingReport f64 = Trainer.train(data, small(cell).precision(TrainingConfig.Precision.FLOAT64).build(),
                TrainingListener.NONE).report;
        assertEquals("float32", f32.config.get("precision"));
        assertTrue(f32.validation.model.mse <= 1.25 * f64.validation.model.mse, cell + ": float32 "
                + f32.validation.model + " vs float64 " + f64.validation.model);
    }

    @Test
    void theLoadedArtifactReproducesTheTrainersEvaluationBitForBit() throws Exception {
        TrainingData data = seasonal(500, 3);
        for (TrainingConfig c : List.of(small(CellType.LSTM).build(), small(CellType.GRU).rules(ForecastRules.plain()
                .withScaling(Scaling.PER_KEY, 50).withRelativeToLast(true).withInputDifferences(true)
                .withTimeFeatures(TimeFeatures.DAY_WEEK).withGuard(GuardRules.on().withRecent(5))).build())) {
            Trainer.Result r = Trainer.train(data, c, TrainingListener.NONE);
            ForecastModel loaded = ModelArtifacts.read(new ByteArrayInputStream(artifact(r)), "test").model;
            assertEquals(r.model, loaded);
            List<PreparedSeries> prepared = new ArrayList<>();
            for (TrainingData.Series s : data.series) {
                prepared.add(new PreparedSeries(s, r.model, c.split.bounds(s.rows)));
            }
            float[][] trainer = ForecastEvaluation.forecasts(r.model, prepared);
            // the deployed path: the stepper from the loaded artifact, both keys in one batch, two threads
            int rows = data.series.get(0).rows;
            int o = loaded.outputs();
            KeyStateStore states = KeyStateStore.inMemory();
            try (KeyStepper stepper = new KeyStepper(loaded, StepperSettings.defaults(),
                    new CpuStepBackend(loaded.network(), 2, "test"), 2)) {
                StepBatch b = stepper.batch();
                for (int t = 0; t < rows; t++) {
                    b.clear();
                    for (int k = 0; k < 2; k++) {
                        TrainingData.Series s = data.series.get(k);
                        b.add(s.key, s.times[t], s.features, t);
                    }
                    stepper.step(b, states);
                    for (int k = 0; k < 2; k++) {
                        for (int i = 0; i < o; i++) {
                            assertEquals(Float.floatToIntBits(trainer[k][t * o + i]), Float.floatToIntBits(
                                    b.forecast(k, i)), c.describe() + " key " + k + " row " + t + " output " + i);
                        }
                    }
                }
            }
            Normalization report = PreparedSeries.fit(data, c.split, c.horizon, loaded.network().inputSize());
            ForecastErrors again = ForecastEvaluation.errors(ForecastEvaluation.Predictor.MODEL, prepared, trainer, 4,
                    1, 24, ForecastEvaluation.SplitPart.VALIDATION, report);
            assertEquals(r.report.validation.model.mse, again.mse, 0.0);
        }
    }

    @Test
    void perKeyRelativeTrainingBeatsTheLastValueOnKeysOfDifferentLevels() {
        // The same shape at levels 10 and 10000: one global z-score cannot serve both, per-key scaling can.
        List<TrainingData.Series> series = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(9);
        for (int k = 0; k < 2; k++) {
            float level = k == 0 ? 10f : 10000f;
            float[] v = new float[900];
            for (int r = 0; r < v.length; r++) {
                v[r] = (float) (level * (1 + 0.3 * Math.sin(2 * Math.PI * r / 24.0) + 0.01 * (rnd.nextDouble() - 0.5)));
            }
            series.add(new TrainingData.Series("key" + k, v, v.clone(), 1, 1));
        }
        TrainingData data = new TrainingData(List.of("value"), List.of("value"), series);
        Trainer.Result r = Trainer.train(data, small(CellType.LSTM).epochs(12).rules(ForecastRules.plain()
                .withScaling(Scaling.PER_KEY, 200).withRelativeToLast(true).withGuard(GuardRules.on())).build(),
                TrainingListener.NONE);
        assertTrue(r.report.validation.model.mse < r.report.validation.lastValue.mse,
                "model " + r.report.validation.model + " vs last value " + r.report.validation.lastValue);
    }

    @Test
    void keysAreSampledFairlyWhateverTheirLength() {
        List<TrainingData.Series> raw = new ArrayList<>();
        for (int rows : new int[] {240, 260, 4000}) {
            float[] v = new float[rows];
            for (int r = 0; r < rows; r++) {
                v[r] = (float) Math.sin(r * 0.3);
            }
            raw.add(new TrainingData.Series("k" + rows, v, v.clone(), 1, 1));
        }
        TrainingConfig c = small(CellType.GRU).window(20).stride(10).split(TrainingSplit.fractions(0.8, 0.1))
                .build();
        ForecastModel template = ForecastModel.builder(io.flinkrnn.kernels.RandomModels.model(CellType.GRU,
                io.flinkrnn.kernels.model.GruResetMode.AFTER_PRODUCT, 1, 4, 1, 4, 1)).features(List.of("v")).build();
        List<PreparedSeries> series = new ArrayList<>();
        for (TrainingData.Series s : raw) {
            series.add(new PreparedSeries(s, template, c.split.bounds(s.rows)));
        }
        SplittableRandom random = new SplittableRandom(1);
        List<Trainer.Window> one = Trainer.windows(series, c, 0, random);
        List<Trainer.Window> two = Trainer.windows(series, c, 0, random);
        int median = (int) one.stream().filter(w -> w.series() == 1).count();
        long longest = one.stream().filter(w -> w.series() == 2).count();
        assertEquals(2L * median, longest, "the long key gets twice the median key's windows, not 16 times");
        assertTrue(one.stream().filter(w -> w.series() == 0).count() > 0);
        List<Integer> starts = one.stream().filter(w -> w.series() == 2).map(Trainer.Window::start).toList();
        assertEquals(starts.stream().sorted().toList(), starts, "row order per key");
        assertTrue(!starts.equals(two.stream().filter(w -> w.series() == 2).map(Trainer.Window::start).toList()),
                "a fresh draw every epoch");
    }

    /** Under the Huber loss the kept epoch is the one of the lowest validation MAE; under MSE, of the lowest MSE. */
    @Test
    void earlyStoppingJudgesByTheFigureTheLossNames() {
        TrainingData data = seasonal(900, 5);
        for (TrainingLoss loss : List.of(TrainingLoss.mse(), TrainingLoss.huber(0.1))) {
            TrainingConfig c = small(CellType.LSTM).epochs(10).patience(10).rules(ForecastRules.plain()
                    .withScaling(Scaling.PER_KEY, 200).withRelativeToLast(true)).loss(loss).build();
            TrainingReport rep = Trainer.train(data, c, TrainingListener.NONE).report;
            assertEquals(loss.toString(), rep.config.get("loss"));
            TrainingReport.Epoch best = rep.epochs.get(0);
            for (TrainingReport.Epoch e : rep.epochs) {
                if (loss.judge(e.validationMse, e.validationMae) < loss.judge(best.validationMse, best.validationMae)) {
                    best = e;
                }
            }
            assertEquals(best.number, rep.bestEpoch, loss + ": epochs " + rep.toJson());
            assertEquals(best.validationMae, rep.validation.model.mae, 1e-12,
                    loss + ": the report scores the kept epoch");
        }
    }

    @Test
    void badSettingsFailAtBuildNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().window(0).build());
        assertTrue(e.getMessage().startsWith("window"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().learningRate(-1).build());
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingSplit.fractions(0.9, 0.2));
        assertTrue(e.getMessage().contains("fractions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingLoss.huber(0));
        assertTrue(e.getMessage().contains("Huber delta"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().loss(null).build());
        assertTrue(e.getMessage().startsWith("loss"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().rules(null).build());
        assertTrue(e.getMessage().contains("rules must be set"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().horizon(1).rules(ForecastRules.defaults(2)).build());
        assertTrue(e.getMessage().startsWith("the guard's level (span 12 rows)"), e.getMessage());
        assertEquals(0, TrainingConfig.builder().horizon(1).rules(ForecastRules.defaults(1)).build().rules.guard()
                .level(), "one step's defaults have no level to refuse");
    }

    private static byte[] artifact(Trainer.Result r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelArtifacts.write(r.model, Map.of("source", "test", "seed", "3"), out);
        return out.toByteArray();
    }
}
