package io.flinkrnn.operators.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.GuardError;
import io.flinkrnn.stepper.HistoryApartStore;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.StatePart;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A key saved under an older layout of the linear forecaster's part goes on forecasting what it would have: version 1
 * (or 2 under squared errors), which held all N = 400 values in a ring before the key had a history, and version 3
 * (or 4), which kept no issued forecasts. {@code state/linear-v1/linear-v1-<error>-<targets>-<rows>.bin} were written
 * by the code of commit 3b40204 and {@code state/linear-v3/linear-v3-...} by that of commit f3bdcca, after rows 0 to
 * rows-1 of {@link #series} with {@link #model}, and are kept unchanged: a key younger than the tail (150 rows), one
 * between the tail and N (300), older than N (700), under squared errors, and with two targets. Restored into a store
 * that keeps the history inside the state and into one that keeps it apart (as the operator and the SQL function do,
 * where it is first missing), the rows up to 1,100 give the bits of an uninterrupted run, and no part starts fresh.
 */
class RnnKeyStateLinearRingTest {
    static float[] series(int features) {
        float[] y = new float[1100 * features];
        SplittableRandom rnd = new SplittableRandom(13);
        for (int t = 0; t < 1100; t++) {
            for (int f = 0; f < features; f++) {
                y[t * features + f] = 50f + 10f * (float) Math.sin(2 * Math.PI * t / (12 + 5 * f))
                        + 0.3f * (float) rnd.nextGaussian();
            }
        }
        return y;
    }

    static ForecastModel model(GuardError e, int features) {
        List<String> names = features == 1 ? List.of("y") : List.of("y", "z");
        return ForecastModel.builder(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, features, 4, 1,
                3 * features, 5)).features(names).targets(names).scaling(Scaling.PER_KEY, 500).relativeToLast(true)
                .guard(true).guardRecent(5).guardLinear(400).guardError(e).build();
    }

    /** Steps rows [from, 1100) of key "k" through {@code store}; returns their forecasts and the fresh starts. */
    static float[][] step(ForecastModel m, int features, KeyStateStore store, int from, long[] freshLinear) {
        float[] y = series(features);
        float[][] out = new float[1100 - from][];
        try (KeyStepper s = new KeyStepper(m, StepperSettings.defaults(), new CpuStepBackend(m.network(), 1, "t"), 1)) {
            StepBatch b = s.batch();
            for (int r = from; r < 1100; r++) {
                b.clear();
                b.add("k", r * 3_600_000L, y, r * features);
                s.step(b, store);
                out[r - from] = new float[m.outputs()];
                for (int i = 0; i < m.outputs(); i++) {
                    out[r - from][i] = b.forecast(0, i);
                }
            }
            freshLinear[0] = s.freshParts().count(StatePart.LINEAR);
        }
        return out;
    }

    @ParameterizedTest(name = "{4}: {0}, {1} target(s), saved after {2} rows, history apart {3}")
    @CsvSource({"ABSOLUTE, 1, 150, false, v1", "ABSOLUTE, 1, 150, true, v1", "ABSOLUTE, 1, 300, false, v1",
        "ABSOLUTE, 1, 300, true, v1", "ABSOLUTE, 1, 700, false, v1", "ABSOLUTE, 1, 700, true, v1",
        "SQUARED, 1, 700, false, v1", "SQUARED, 1, 700, true, v1", "ABSOLUTE, 2, 700, false, v1",
        "ABSOLUTE, 2, 700, true, v1", "ABSOLUTE, 1, 150, false, v3", "ABSOLUTE, 1, 150, true, v3",
        "ABSOLUTE, 1, 300, false, v3", "ABSOLUTE, 1, 300, true, v3", "ABSOLUTE, 1, 700, false, v3",
        "ABSOLUTE, 1, 700, true, v3", "SQUARED, 1, 700, false, v3", "SQUARED, 1, 700, true, v3",
        "ABSOLUTE, 2, 700, false, v3", "ABSOLUTE, 2, 700, true, v3"})
    void aKeySavedUnderAnOlderLayoutOfItsPartForecastsAsIfNeverInterrupted(GuardError error, int targets, int rows,
            boolean apart, String layout) throws IOException {
        String name = "/state/linear-" + layout + "/linear-" + layout + "-" + error.name().toLowerCase(Locale.ROOT)
                + "-" + targets + "-" + rows + ".bin";
        KeyState saved;
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertNotNull(in, name);
            saved = RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(in.readAllBytes()));
        }
        assertEquals(rows, saved.steps());
        ForecastModel m = model(error, targets);
        long[] fresh = new long[1];
        float[][] whole = step(m, targets, KeyStateStore.inMemory(), 0, fresh);
        KeyStateStore restored = apart ? new HistoryApartStore() : KeyStateStore.inMemory();
        if (apart && saved.history() != null) {
            // Saved with its history (version 3 on): apart, it lives in its own keyed state, as in the operator.
            ((HistoryApartStore) restored).histories.put("k", saved.history().clone());
        }
        restored.write("k", saved);
        float[][] after = step(m, targets, restored, rows, fresh);
        assertEquals(0, fresh[0], "the linear part is read, not started fresh");
        for (int r = rows; r < 1100; r++) {
            for (int i = 0; i < m.outputs(); i++) {
                assertEquals(Float.floatToIntBits(whole[r][i]), Float.floatToIntBits(after[r - rows][i]),
                        "row " + r + " output " + i);
            }
        }
    }
}
