package io.flinkrnn.operators.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.GuardError;
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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A key saved before the linear forecaster kept a history (its part of version 1, or 2 under squared errors, holding
 * all N values in a ring) goes on forecasting what it would have: {@code state/rnn-key-state-linear-v1-<error>.bin}
 * were written by the code of commit 3b40204 after rows 0-699 of {@link #series()} with {@link #model}, and are kept
 * unchanged. Restored, the next 400 rows give the bits of an uninterrupted run, and no part starts fresh.
 */
class RnnKeyStateLinearRingTest {
    static ForecastModel model(GuardError error) {
        return ForecastModel.builder(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 3, 5))
                .features(List.of("y")).targets(List.of("y")).scaling(Scaling.PER_KEY, 500).relativeToLast(true)
                .guard(true).guardRecent(5).guardLinear(400).guardError(error).build();
    }

    static float[] series() {
        float[] y = new float[1100];
        SplittableRandom rnd = new SplittableRandom(13);
        for (int t = 0; t < y.length; t++) {
            y[t] = 50f + 10f * (float) Math.sin(2 * Math.PI * t / 12) + 0.3f * (float) rnd.nextGaussian();
        }
        return y;
    }

    /** Steps rows [from, to) of key "k" through {@code store}; returns their forecasts and the part's fresh starts. */
    static float[][] step(ForecastModel m, KeyStateStore store, int from, int to, long[] freshLinear) {
        float[] y = series();
        float[][] out = new float[to - from][];
        try (KeyStepper s = new KeyStepper(m, StepperSettings.defaults(), new CpuStepBackend(m.network(), 1, "t"), 1)) {
            StepBatch b = s.batch();
            for (int r = from; r < to; r++) {
                b.clear();
                b.add("k", r * 3_600_000L, y, r);
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

    @ParameterizedTest
    @EnumSource(GuardError.class)
    void aKeySavedWithTheWholeRingInItsPartForecastsAsIfNeverInterrupted(GuardError error) throws IOException {
        String name = "/state/rnn-key-state-linear-v1-" + error.name().toLowerCase(Locale.ROOT) + ".bin";
        KeyState saved;
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertNotNull(in, name);
            saved = RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(in.readAllBytes()));
        }
        assertEquals(700, saved.steps());
        ForecastModel m = model(error);
        long[] fresh = new long[1];
        float[][] whole = step(m, KeyStateStore.inMemory(), 0, 1100, fresh);
        KeyStateStore.InMemory restored = KeyStateStore.inMemory();
        restored.write("k", saved);
        float[][] after = step(m, restored, 700, 1100, fresh);
        assertEquals(0, fresh[0], "the linear part is read, not started fresh");
        for (int r = 700; r < 1100; r++) {
            for (int i = 0; i < m.outputs(); i++) {
                assertEquals(Float.floatToIntBits(whole[r][i]), Float.floatToIntBits(after[r - 700][i]),
                        "row " + r + " output " + i);
            }
        }
        assertEquals(400, restored.read("k").history().length);
    }
}
