package io.flinkrnn.bench;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.Observation;
import java.time.Instant;
import java.util.List;

/** The benchmark's model (PyTorch default init) and its generated observations. */
final class BenchModels {
    static final long T0 = 1_700_000_000_000L;

    private BenchModels() {
    }

    static RnnModel lstm(int input, int hidden, int outputs, long seed) {
        return RandomInit.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, input, hidden, 1, outputs, seed);
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
