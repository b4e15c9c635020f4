package io.flinkrnn.kernels.model;

import java.util.Arrays;

/**
 * One recurrent layer's parameters in PyTorch layout: {@code weight_ih} [G*H][in], {@code weight_hh}
 * [G*H][H], {@code bias_ih} and {@code bias_hh} [G*H], row-major, gate blocks in PyTorch order. Immutable:
 * the arrays are copied in and never handed out.
 */
public final class LayerWeights implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int inputSize;
    private final float[] weightIh;
    private final float[] weightHh;
    private final float[] biasIh;
    private final float[] biasHh;

    LayerWeights(int inputSize, float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh) {
        this.inputSize = inputSize;
        this.weightIh = weightIh.clone();
        this.weightHh = weightHh.clone();
        this.biasIh = biasIh.clone();
        this.biasHh = biasHh.clone();
    }

    public int inputSize() {
        return inputSize;
    }

    /** W_ih[row][col] with row in [0, G*H), col in [0, inputSize). */
    public float weightIh(int row, int col) {
        return weightIh[row * inputSize + col];
    }

    /** W_hh[row][col] with row in [0, G*H), col in [0, H). */
    public float weightHh(int row, int col, int hidden) {
        return weightHh[row * hidden + col];
    }

    public float biasIh(int row) {
        return biasIh[row];
    }

    public float biasHh(int row) {
        return biasHh[row];
    }

    /** Copies of the PyTorch-layout arrays, for exporters and tests. */
    public float[] weightIhCopy() {
        return weightIh.clone();
    }

    public float[] weightHhCopy() {
        return weightHh.clone();
    }

    public float[] biasIhCopy() {
        return biasIh.clone();
    }

    public float[] biasHhCopy() {
        return biasHh.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LayerWeights)) {
            return false;
        }
        LayerWeights other = (LayerWeights) o;
        return inputSize == other.inputSize
                && Arrays.equals(weightIh, other.weightIh)
                && Arrays.equals(weightHh, other.weightHh)
                && Arrays.equals(biasIh, other.biasIh)
                && Arrays.equals(biasHh, other.biasHh);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weightIh) + Arrays.hashCode(weightHh);
    }
}
