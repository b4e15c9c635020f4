package io.flinkrnn.kernels;

import io.flinkrnn.kernels.model.RnnModel;

/**
 * Advances a batch of independent keys by one timestep of a {@link RnnModel}.
 *
 * <p>All arrays are flat and row-major, one row per key: {@code inputs} holds {@code batch * inputSize}
 * floats, {@code states} {@code batch * model.stateSize()} floats (read, then overwritten with the new
 * state), {@code outputs} receives {@code batch * outputSize} head outputs. Arrays may be longer than needed;
 * only the first {@code batch} rows are touched.
 *
 * <p>A key's new state and outputs depend only on its own row: the same bits whatever the batch size, the
 * key's position in it or the thread count. A backend is not thread-safe: one caller at a time.
 */
public interface StepBackend extends AutoCloseable {

    RnnModel model();

    /** Which backend and device run, and why this one was chosen. */
    BackendInfo info();

    /**
     * One timestep for {@code batch} keys.
     *
     * @throws BackendFailureException if the device failed; the states are then unchanged or undefined
     *     and the caller decides whether to retry elsewhere. A backend never falls back silently.
     */
    void step(int batch, float[] inputs, float[] states, float[] outputs);

    /** Releases threads, device buffers and contexts. Idempotent. */
    @Override
    void close();

    /** Checks the array sizes of a {@link #step} call, naming the array that is too short. */
    static void checkStepArgs(RnnModel model, int batch, float[] inputs, float[] states, float[] outputs) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must not be negative, got " + batch);
        }
        need("inputs", inputs, (long) batch * model.inputSize(), batch, model.inputSize());
        need("states", states, (long) batch * model.stateSize(), batch, model.stateSize());
        need("outputs", outputs, (long) batch * model.outputSize(), batch, model.outputSize());
    }

    private static void need(String name, float[] a, long n, int batch, int width) {
        if (a == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (a.length < n) {
            throw new IllegalArgumentException(name + " holds " + a.length + " floats but a batch of " + batch
                    + " needs " + n + " (" + width + " per key)");
        }
    }
}
