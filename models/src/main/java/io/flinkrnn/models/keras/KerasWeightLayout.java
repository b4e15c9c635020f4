package io.flinkrnn.models.keras;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GateActivation;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.List;
import java.util.Map;

/**
 * Keras's weight arrays in PyTorch's layout ({@link RnnModel}): kernels [in][gates x units] transposed to
 * [gates x units][in], gate blocks reordered (GRU z, r, h to r, z, n; LSTM i, f, c, o is PyTorch's i, f, g, o),
 * Keras 1's per-gate arrays stacked, biases split (GRU {@code reset_after}: input and recurrent rows) or put on
 * the input side, every layer padded with zero units to the largest layer's size (see {@link KerasImporter}).
 */
final class KerasWeightLayout {
    /** A recurrent layer's size and arrays by role, as {@link KerasWeights} found them. */
    record Layer(String name, int units, boolean bias, Map<String, KerasWeights.Array> w) {
    }

    /** Keras 1's gate letters in PyTorch's gate order. */
    private static final String[] LSTM_GATES = {"i", "f", "c", "o"};
    private static final String[] GRU_GATES = {"r", "z", "h"};
    /** Where PyTorch's gate g sits among a fused Keras kernel's blocks. */
    private static final int[] LSTM_BLOCK = {0, 1, 2, 3};
    private static final int[] GRU_BLOCK = {1, 0, 2};

    private KerasWeightLayout() {
    }

    static RnnModel model(String source, CellType cell, GruResetMode mode, GateActivation gates, int inputs,
            List<Layer> layers, KerasWeights.Array denseKernel, KerasWeights.Array denseBias) {
        int hidden = layers.stream().mapToInt(Layer::units).max().orElseThrow();
        int g = cell.gates();
        RnnModel.Builder b = RnnModel.builder().cell(cell).gruResetMode(mode).gateActivation(gates).inputSize(inputs)
                .hiddenSize(hidden);
        int realIn = inputs;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int in = l == 0 ? inputs : hidden;
            int h = layer.units;
            float[] wih = new float[g * hidden * in];
            float[] whh = new float[g * hidden * hidden];
            float[] bih = new float[g * hidden];
            float[] bhh = new float[g * hidden];
            for (int gate = 0; gate < g; gate++) {
                KerasGate kg = gate(source, layer, cell, gate, realIn, h);
                for (int j = 0; j < h; j++) {
                    int row = gate * hidden + j;
                    for (int k = 0; k < realIn; k++) {
                        wih[row * in + k] = kg.kernel.values()[k * kg.stride + kg.col0 + j];
                    }
                    for (int k = 0; k < h; k++) {
                        whh[row * hidden + k] = kg.recurrent.values()[k * kg.stride + kg.col0 + j];
                    }
                    if (kg.bias != null) {
                        bih[row] = kg.bias.values()[kg.col0 + j];
                        if (mode == GruResetMode.AFTER_PRODUCT && cell == CellType.GRU) {
                            bhh[row] = kg.bias.values()[kg.stride + kg.col0 + j];
                        }
                    }
                }
            }
            b.addLayer(wih, whh, bih, bhh);
            realIn = h;
        }
        int last = layers.get(layers.size() - 1).units;
        if (denseKernel == null) {
            // No Dense: the model's output is the last layer's h itself.
            float[] eye = new float[last * hidden];
            for (int j = 0; j < last; j++) {
                eye[j * hidden + j] = 1f;
            }
            return b.outputSize(last).head(eye, new float[last]).build();
        }
        if (denseKernel.rows() != last) {
            throw new KerasImportException(source + ": the Dense kernel has " + denseKernel.rows() + " rows for a"
                    + " last recurrent layer of " + last + " units");
        }
        int n = denseKernel.cols();
        float[] head = new float[n * hidden];
        for (int o = 0; o < n; o++) {
            for (int k = 0; k < last; k++) {
                head[o * hidden + k] = denseKernel.values()[k * n + o];
            }
        }
        return b.outputSize(n).head(head, denseBias == null ? new float[n] : denseBias.values().clone()).build();
    }

    /** Where one PyTorch gate's columns are: fused arrays and a column offset, or Keras 1's per-gate arrays. */
    private record KerasGate(KerasWeights.Array kernel, KerasWeights.Array recurrent, KerasWeights.Array bias,
            int stride, int col0) {
    }

    private static KerasGate gate(String source, Layer layer, CellType cell, int gate, int in, int h) {
        Map<String, KerasWeights.Array> w = layer.w;
        int g = cell.gates();
        String where = source + ": layer '" + layer.name + "'";
        if (w.containsKey("kernel")) {
            KerasWeights.Array k = w.get("kernel");
            KerasWeights.Array r = w.get("recurrent_kernel");
            KerasWeights.Array bias = layer.bias ? w.get("bias") : null;
            expect(where, "kernel", k, in, g * h);
            expect(where, "recurrent_kernel", r, h, g * h);
            if (bias != null && bias.values().length != g * h && bias.values().length != 2 * g * h) {
                throw new KerasImportException(where + ": bias of " + bias.values().length + " values, expected "
                        + g * h + " (or " + 2 * g * h + " with reset_after)");
            }
            int block = (cell == CellType.LSTM ? LSTM_BLOCK : GRU_BLOCK)[gate];
            return new KerasGate(k, r, bias, g * h, block * h);
        }
        String letter = (cell == CellType.LSTM ? LSTM_GATES : GRU_GATES)[gate];
        KerasWeights.Array k = w.get("kernel_" + letter);
        KerasWeights.Array r = w.get("recurrent_kernel_" + letter);
        if (k == null || r == null) {
            throw new KerasImportException(where + ": no weights for gate " + letter + " among " + w.keySet());
        }
        expect(where, "W_" + letter, k, in, h);
        expect(where, "U_" + letter, r, h, h);
        return new KerasGate(k, r, layer.bias ? w.get("bias_" + letter) : null, h, 0);
    }

    private static void expect(String where, String what, KerasWeights.Array a, int rows, int cols) {
        if (a == null) {
            throw new KerasImportException(where + ": " + what + " is missing");
        }
        if (a.values().length != rows * cols) {
            throw new KerasImportException(where + ": " + what + " has shape " + java.util.Arrays.toString(a.shape())
                    + ", expected [" + rows + ", " + cols + "]");
        }
    }
}
