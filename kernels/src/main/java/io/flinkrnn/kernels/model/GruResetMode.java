package io.flinkrnn.kernels.model;

/**
 * Where a GRU applies its reset gate. The two conventions give different results for the same weights,
 * so a model must say which one it was trained with.
 */
public enum GruResetMode {
    /**
     * n = tanh(W_in x + b_in + r * (W_hn h + b_hn)). PyTorch's nn.GRU, ONNX {@code linear_before_reset=1},
     * Keras {@code reset_after=True}.
     */
    AFTER_PRODUCT,
    /**
     * n = tanh(W_in x + b_in + W_hn (r * h) + b_hn). ONNX {@code linear_before_reset=0} (its default),
     * Keras {@code reset_after=False}.
     */
    BEFORE_PRODUCT
}
