package io.flinkrnn.stepper;

import io.flinkrnn.kernels.cpu.CpuStepBackend;

/** Steps a univariate series as one key, a row per batch (a minute apart unless told), for tests that read every row's result. */
final class OneKey {
    /** What a test reads off row {@code r} right after it was stepped. */
    interface Row {
        void read(int r, KeyStepper stepper, StepBatch b);
    }

    /** What a test does to the key's state before row {@code r} (null before the first row). */
    interface Before {
        KeyState state(int r, KeyState s);
    }

    private OneKey() {
    }

    static void run(ForecastModel m, StepperSettings settings, float[] v, int rows, Row row) {
        run(m, settings, v, rows, 60_000L, row);
    }

    /** The same with rows {@code stepMillis} apart from the epoch (midnight UTC). */
    static void run(ForecastModel m, StepperSettings settings, float[] v, int rows, long stepMillis, Row row) {
        run(m, settings, v, rows, stepMillis, (r, s) -> s, row);
    }

    /** The same, the key's state passed through {@code before} ahead of each row. */
    static void run(ForecastModel m, StepperSettings settings, float[] v, int rows, long stepMillis, Before before,
            Row row) {
        try (KeyStepper s = new KeyStepper(m, settings, new CpuStepBackend(m.network(), 1, "test"), 1)) {
            StepBatch b = s.batch();
            KeyState state = null;
            for (int r = 0; r < rows; r++) {
                b.clear();
                b.add("k", r * stepMillis, v, r);
                KeyStateStore.InMemory store = KeyStateStore.inMemory();
                store.write("k", before.state(r, state));
                s.step(b, store);
                state = store.read("k");
                row.read(r, s, b);
            }
        }
    }
}
