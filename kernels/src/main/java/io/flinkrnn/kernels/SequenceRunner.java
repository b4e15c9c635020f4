package io.flinkrnn.kernels;

import io.flinkrnn.kernels.model.RnnModel;

/**
 * Runs T timesteps for a batch of keys through a backend, for replays, training checks and tests. Inputs
 * are [B][T][F] row-major; {@code states} [B][stateSize] carries in the initial states and comes back with
 * the final ones; forecasts come out as [B][T][outputSize] and, if asked, the last layer's h as [B][T][H].
 */
public final class SequenceRunner {
    private final StepBackend backend;

    public SequenceRunner(StepBackend backend) {
        this.backend = backend;
    }

    /**
     * @param hiddenSeq may be null; else receives the last layer's h after every step
     */
    public void run(int batch, int steps, float[] inputs, float[] states, float[] forecasts, float[] hiddenSeq) {
        RnnModel m = backend.model();
        int f = m.inputSize();
        int n = m.outputSize();
        int h = m.hiddenSize();
        int s = m.stateSize();
        if (inputs.length < (long) batch * steps * f) {
            throw new IllegalArgumentException("inputs hold " + inputs.length + " floats, need batch*steps*F = "
                    + (long) batch * steps * f);
        }
        if (forecasts.length < (long) batch * steps * n) {
            throw new IllegalArgumentException("forecasts hold " + forecasts.length
                    + " floats, need batch*steps*outputSize = " + (long) batch * steps * n);
        }
        if (hiddenSeq != null && hiddenSeq.length < (long) batch * steps * h) {
            throw new IllegalArgumentException("hiddenSeq holds " + hiddenSeq.length
                    + " floats, need batch*steps*H = " + (long) batch * steps * h);
        }
        float[] x = new float[batch * f];
        float[] out = new float[batch * n];
        int last = m.hOffset(m.layerCount() - 1);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(inputs, (b * steps + t) * f, x, b * f, f);
            }
            backend.step(batch, x, states, out);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(out, b * n, forecasts, (b * steps + t) * n, n);
                if (hiddenSeq != null) {
                    System.arraycopy(states, b * s + last, hiddenSeq, (b * steps + t) * h, h);
                }
            }
        }
    }
}
