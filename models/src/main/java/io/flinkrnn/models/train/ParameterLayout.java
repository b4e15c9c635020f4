package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.SplittableRandom;

/**
 * Where each tensor of a stacked LSTM/GRU + dense head lives in one flat {@code double[]} of parameters
 * (and, identically, of gradients and Adam moments): per layer W_ih, W_hh, b_ih, b_hh in PyTorch layout,
 * then the head's W and b. One flat array lets the optimizer, clipping and the reduction of per-shard
 * gradients be single loops.
 */
public final class ParameterLayout {
    final CellType cell;
    final int inputSize;
    final int hidden;
    final int layers;
    final int outputs;
    final int gates;
    private final int[] wIh;
    private final int[] wHh;
    private final int[] bIh;
    private final int[] bHh;
    final int headW;
    final int headB;
    final int size;

    public ParameterLayout(CellType cell, int inputSize, int hidden, int layers, int outputs) {
        if (inputSize < 1 || hidden < 1 || layers < 1 || outputs < 1) {
            throw new IllegalArgumentException("sizes must be positive: inputSize=" + inputSize + " hidden=" + hidden
                    + " layers=" + layers + " outputs=" + outputs);
        }
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.layers = layers;
        this.outputs = outputs;
        this.gates = cell.gates();
        wIh = new int[layers];
        wHh = new int[layers];
        bIh = new int[layers];
        bHh = new int[layers];
        int at = 0;
        for (int l = 0; l < layers; l++) {
            int in = layerInput(l);
            wIh[l] = at;
            at += gates * hidden * in;
            wHh[l] = at;
            at += gates * hidden * hidden;
            bIh[l] = at;
            at += gates * hidden;
            bHh[l] = at;
            at += gates * hidden;
        }
        headW = at;
        at += outputs * hidden;
        headB = at;
        at += outputs;
        size = at;
    }

    public int size() {
        return size;
    }

    int layerInput(int layer) {
        return layer == 0 ? inputSize : hidden;
    }

    int wIh(int layer) {
        return wIh[layer];
    }

    int wHh(int layer) {
        return wHh[layer];
    }

    int bIh(int layer) {
        return bIh[layer];
    }

    int bHh(int layer) {
        return bHh[layer];
    }

    /** PyTorch's default initialisation: every weight uniform in ±1/sqrt(hidden). */
    double[] initialise(SplittableRandom random) {
        double bound = 1.0 / Math.sqrt(hidden);
        double[] p = new double[size];
        for (int i = 0; i < size; i++) {
            p[i] = (random.nextDouble() * 2 - 1) * bound;
        }
        return p;
    }

    /** The float32 model the kernels run: each parameter rounded to the nearest float. */
    RnnModel toModel(double[] p, Normalization normalization) {
        RnnModel.Builder b = RnnModel.builder().cell(cell).gruResetMode(GruResetMode.AFTER_PRODUCT)
                .inputSize(inputSize).hiddenSize(hidden).outputSize(outputs).normalization(normalization);
        for (int l = 0; l < layers; l++) {
            int in = layerInput(l);
            b.addLayer(floats(p, wIh[l], gates * hidden * in), floats(p, wHh[l], gates * hidden * hidden),
                    floats(p, bIh[l], gates * hidden), floats(p, bHh[l], gates * hidden));
        }
        b.head(floats(p, headW, outputs * hidden), floats(p, headB, outputs));
        return b.build();
    }

    /** The parameters of an existing model (for fine-tuning and tests), widened to double. */
    double[] fromModel(RnnModel m) {
        if (m.cell() != cell || m.inputSize() != inputSize || m.hiddenSize() != hidden || m.layerCount() != layers
                || m.outputSize() != outputs) {
            throw new IllegalArgumentException("model " + m.describe() + " does not have this layout");
        }
        if (cell == CellType.GRU && m.gruResetMode() != GruResetMode.AFTER_PRODUCT) {
            throw new IllegalArgumentException("the trainer runs GRUs with the reset after the product (PyTorch)");
        }
        double[] p = new double[size];
        for (int l = 0; l < layers; l++) {
            put(p, wIh[l], m.layer(l).weightIhCopy());
            put(p, wHh[l], m.layer(l).weightHhCopy());
            put(p, bIh[l], m.layer(l).biasIhCopy());
            put(p, bHh[l], m.layer(l).biasHhCopy());
        }
        put(p, headW, m.headWeightCopy());
        put(p, headB, m.headBiasCopy());
        return p;
    }

    private static float[] floats(double[] p, int from, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) p[from + i];
        }
        return f;
    }

    private static void put(double[] p, int at, float[] v) {
        for (int i = 0; i < v.length; i++) {
            p[at + i] = v[i];
        }
    }

    @Override
    public String toString() {
        return cell + " inputs=" + inputSize + " hidden=" + hidden + " layers=" + layers + " outputs=" + outputs
                + " parameters=" + size;
    }
}
