package io.flinkrnn.kernels.model;

/**
 * The activation of an LSTM's or GRU's gates (i, f, o; r, z). PyTorch and ONNX use the logistic sigmoid;
 * Keras models often use a piecewise-linear "hard sigmoid", whose slope depends on the Keras version.
 */
public enum GateActivation {
    /** 1 / (1 + e^-x): PyTorch, ONNX, Keras {@code sigmoid}. */
    SIGMOID(0f),
    /** clip(0.2 x + 0.5, 0, 1): Keras 1 and 2 and tf.keras {@code hard_sigmoid}. */
    HARD_SIGMOID(0.2f),
    /** clip(x / 6 + 0.5, 0, 1): Keras 3 {@code hard_sigmoid} (relu6(x + 3) / 6). */
    HARD_SIGMOID_KERAS3(1f / 6f);

    private final float slope;

    GateActivation(float slope) {
        this.slope = slope;
    }

    /** 0 for the logistic sigmoid; else the hard sigmoid's slope (it is 0.5 at 0 and clipped to [0, 1]). */
    public float hardSlope() {
        return slope;
    }
}
