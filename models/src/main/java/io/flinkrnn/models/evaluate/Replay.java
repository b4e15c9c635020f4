package io.flinkrnn.models.evaluate;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastSource;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import java.util.List;

/**
 * Every key's forecasts after each of its rows, from a fresh key, through the {@link KeyStepper}: the bits the
 * stream would publish. The keys step side by side, one row each per batch (a key's bits never depend on its
 * batch). Time going backwards is accepted here, since a replay has no dead-letter topic; a stream set to reject
 * it would skip those rows.
 */
public final class Replay {
    /** One key's rows: event times and features [rows][F]. */
    public record Series(String key, long[] times, float[] features) {
        public int rows() {
            return times.length;
        }
    }

    private Replay() {
    }

    /**
     * Every key's forecasts and which of the guard's candidates made each: {@code forecasts[key][row * outputs + i]}
     * (step-major per row) and {@code sources[key][row * outputs + i]} (a {@link ForecastSource} ordinal).
     */
    public record Replayed(float[][] forecasts, byte[][] sources) {
        /** The source of forecast {@code at} ({@code row * outputs + i}) of key {@code key}. */
        public ForecastSource source(int key, int at) {
            return ForecastSource.of(sources[key][at]);
        }
    }

    /** [key][rows * outputs], step-major per row. */
    public static float[][] forecasts(ForecastModel model, List<Series> keys, int threads) {
        return replay(model, keys, threads, Adaptation.OFF).forecasts();
    }

    /** The forecasts and their sources, with per-key adaptation {@code adaptation}. */
    public static Replayed replay(ForecastModel model, List<Series> keys, int threads, Adaptation adaptation) {
        int o = model.outputs();
        int f = model.featureCount();
        float[][] all = new float[keys.size()][];
        byte[][] sources = new byte[keys.size()][];
        int longest = 0;
        for (int k = 0; k < keys.size(); k++) {
            all[k] = new float[keys.get(k).rows() * o];
            sources[k] = new byte[keys.get(k).rows() * o];
            longest = Math.max(longest, keys.get(k).rows());
        }
        KeyStateStore.InMemory states = KeyStateStore.inMemory();
        int[] keyOf = new int[keys.size()];
        try (KeyStepper stepper = new KeyStepper(model, StepperSettings.defaults().withTimeOrder(TimeOrderPolicy.ACCEPT)
                .withAdaptation(adaptation),
                new CpuStepBackend(model.network(), threads, "replay"), Math.max(1, keys.size()))) {
            StepBatch b = stepper.batch();
            for (int r = 0; r < longest; r++) {
                b.clear();
                int n = 0;
                for (int k = 0; k < keys.size(); k++) {
                    Series s = keys.get(k);
                    if (r < s.rows()) {
                        b.add(s.key() + "#" + k, s.times()[r], s.features(), r * f);
                        keyOf[n++] = k;
                    }
                }
                stepper.step(b, states);
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < o; i++) {
                        all[keyOf[j]][r * o + i] = b.forecast(j, i);
                        sources[keyOf[j]][r * o + i] = (byte) b.source(j, i).ordinal();
                    }
                }
            }
        }
        return new Replayed(all, sources);
    }
}
