package io.flinkrnn.bench;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.Observation;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** The benchmark's model (PyTorch default init) and its generated observations. */
final class BenchModels {
    static final long T0 = 1_700_000_000_000L;

    private BenchModels() {
    }

    static RnnModel lstm(int input, int hidden, int horizon, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float bound = (float) (1 / Math.sqrt(hidden));
        int g = 4 * hidden;
        return RnnModel.builder().cell(CellType.LSTM).gruResetMode(GruResetMode.AFTER_PRODUCT).inputSize(input)
                .hiddenSize(hidden).horizon(horizon)
                .addLayer(uniform(rnd, g * input, bound), uniform(rnd, g * hidden, bound), uniform(rnd, g, bound),
                        uniform(rnd, g, bound))
                .head(uniform(rnd, horizon * hidden, bound), uniform(rnd, horizon, bound)).build();
    }

    private static float[] uniform(SplittableRandom rnd, int n, float bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
        return a;
    }

    /** Like {@link #observation} but with the wall clock as event time, for latency measurements. */
    static Observation stamped(long i, int keys) {
        return Observation.newBuilder().setKey("k" + (i % keys)).setEventTime(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setValues(List.of((float) Math.sin(i * 0.001))).build();
    }

    /** Event i: key i mod keys, one second of event time per round of keys, a smooth value. */
    static Observation observation(long i, int keys) {
        return Observation.newBuilder().setKey("k" + (i % keys))
                .setEventTime(Instant.ofEpochMilli(T0 + (i / keys) * 1000L))
                .setValues(List.of((float) Math.sin(i * 0.001))).build();
    }
}
