package io.flinkrnn.kernels.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stacked LSTM or GRU with a dense head from the last layer's h to {@link #outputSize()} outputs: the sizes,
 * the cell convention and the weights, in PyTorch layout, validated once at {@link Builder#build()}. What the
 * outputs mean (steps ahead x targets) is the forecasting model's business (stepper's {@code ForecastModel});
 * here they are the head's rows.
 *
 * <p>Per key the recurrent state is one flat vector of {@link #stateSize()} floats: the h of every layer,
 * then (LSTM only) the c of every layer, each {@code hiddenSize} long. See {@link #hOffset(int)} and
 * {@link #cOffset(int)}. A batch of B keys keeps B such vectors back to back.
 *
 * <pre>{@code
 * RnnModel model = RnnModel.builder()
 *     .cell(CellType.LSTM).inputSize(8).hiddenSize(64).outputSize(3)
 *     .addLayer(wIh0, wHh0, bIh0, bHh0)
 *     .head(headWeight, headBias)
 *     .build();
 * }</pre>
 */
public final class RnnModel implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final CellType cell;
    private final GruResetMode gruResetMode;
    private final GateActivation gateActivation;
    private final int inputSize;
    private final int hiddenSize;
    private final int outputSize;
    private final List<LayerWeights> layers;
    private final float[] headWeight;
    private final float[] headBias;
    private final Normalization normalization;

    private RnnModel(Builder b) {
        this.cell = b.cell;
        this.gruResetMode = b.gruResetMode;
        this.gateActivation = b.gateActivation;
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.outputSize = b.outputSize;
        this.layers = List.copyOf(b.layers);
        this.headWeight = b.headWeight.clone();
        this.headBias = b.headBias.clone();
        this.normalization = b.normalization != null ? b.normalization
                : Normalization.identity(b.inputSize, b.outputSize);
    }

    public static Builder builder() {
        return new Builder();
    }

    public CellType cell() {
        return cell;
    }

    /** Meaningful for GRU models only; LSTM models report {@link GruResetMode#AFTER_PRODUCT}. */
    public GruResetMode gruResetMode() {
        return gruResetMode;
    }

    /** The gates' activation (default the logistic sigmoid). */
    public GateActivation gateActivation() {
        return gateActivation;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int layerCount() {
        return layers.size();
    }

    /** The head's outputs per key-step (for a forecasting model, steps ahead x targets). */
    public int outputSize() {
        return outputSize;
    }

    public LayerWeights layer(int index) {
        return layers.get(index);
    }

    /** head.weight[row][col], row in [0, outputSize), col in [0, hiddenSize). */
    public float headWeight(int row, int col) {
        return headWeight[row * hiddenSize + col];
    }

    public float headBias(int row) {
        return headBias[row];
    }

    /** The z-scoring applied to inputs and undone on outputs (identity unless the model carries one). */
    public Normalization normalization() {
        return normalization;
    }

    public float[] headWeightCopy() {
        return headWeight.clone();
    }

    public float[] headBiasCopy() {
        return headBias.clone();
    }

    /** Floats of recurrent state per key: L*H for GRU, 2*L*H for LSTM. */
    public int stateSize() {
        return cell.statesPerLayer() * layers.size() * hiddenSize;
    }

    /** Offset of layer {@code layer}'s h inside one key's state vector. */
    public int hOffset(int layer) {
        return layer * hiddenSize;
    }

    /** Offset of layer {@code layer}'s c inside one key's state vector (LSTM only). */
    public int cOffset(int layer) {
        if (cell != CellType.LSTM) {
            throw new IllegalStateException("a GRU has no cell state c");
        }
        return (layers.size() + layer) * hiddenSize;
    }

    /** Floating-point operations of one key-step (2 per multiply-add), for throughput reports. */
    public long flopsPerKeyStep() {
        long flops = 0;
        for (LayerWeights l : layers) {
            flops += 2L * cell.gates() * hiddenSize * (l.inputSize() + hiddenSize);
        }
        return flops + 2L * outputSize * hiddenSize;
    }

    /** A one-line description such as {@code lstm F=8 H=64 L=2 outputs=3}. */
    public String describe() {
        String s = cell.name().toLowerCase() + " F=" + inputSize + " H=" + hiddenSize + " L=" + layers.size()
                + " outputs=" + outputSize;
        s = cell == CellType.GRU ? s + " reset=" + gruResetMode.name().toLowerCase() : s;
        return gateActivation == GateActivation.SIGMOID ? s : s + " gates=" + gateActivation.name().toLowerCase();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RnnModel)) {
            return false;
        }
        RnnModel m = (RnnModel) o;
        return cell == m.cell && gruResetMode == m.gruResetMode && gateActivation == m.gateActivation
                && inputSize == m.inputSize
                && hiddenSize == m.hiddenSize && outputSize == m.outputSize && layers.equals(m.layers)
                && Arrays.equals(headWeight, m.headWeight) && Arrays.equals(headBias, m.headBias)
                && normalization.equals(m.normalization);
    }

    @Override
    public int hashCode() {
        return 31 * layers.hashCode() + Arrays.hashCode(headWeight);
    }

    @Override
    public String toString() {
        return "RnnModel[" + describe() + "]";
    }

    /** Collects sizes and PyTorch-layout tensors; {@link #build()} checks every shape and value. */
    public static final class Builder {
        private CellType cell;
        private GruResetMode gruResetMode = GruResetMode.AFTER_PRODUCT;
        private GateActivation gateActivation = GateActivation.SIGMOID;
        private int inputSize = -1;
        private int hiddenSize = -1;
        private int outputSize = -1;
        private final List<float[][]> rawLayers = new ArrayList<>();
        private final List<LayerWeights> layers = new ArrayList<>();
        private float[] headWeight;
        private float[] headBias;
        private Normalization normalization;

        private Builder() {
        }

        public Builder cell(CellType cell) {
            this.cell = cell;
            return this;
        }

        public Builder gruResetMode(GruResetMode mode) {
            this.gruResetMode = mode;
            return this;
        }

        /** The gates' activation; default {@link GateActivation#SIGMOID}. */
        public Builder gateActivation(GateActivation activation) {
            this.gateActivation = activation;
            return this;
        }

        public Builder inputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /** The head's outputs per key-step (nn.Linear's out_features). */
        public Builder outputSize(int outputs) {
            this.outputSize = outputs;
            return this;
        }

        /** Adds the next layer up: PyTorch's weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}. */
        public Builder addLayer(float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh) {
            rawLayers.add(new float[][] {weightIh, weightHh, biasIh, biasHh});
            return this;
        }

        /** The dense head: weight [outputSize][hidden] and bias [outputSize], as nn.Linear stores them. */
        public Builder head(float[] weight, float[] bias) {
            this.headWeight = weight;
            this.headBias = bias;
            return this;
        }

        /** The z-scoring the model was trained with; default none. */
        public Builder normalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        public RnnModel build() {
            if (cell == null) {
                throw new ModelValidationException("cell type is not set: call cell(CellType.LSTM or GRU)");
            }
            if (gruResetMode == null) {
                throw new ModelValidationException("GRU reset mode is null");
            }
            if (gateActivation == null) {
                throw new ModelValidationException("gate activation is null");
            }
            positive("input size", inputSize);
            positive("hidden size", hiddenSize);
            positive("output size", outputSize);
            if (rawLayers.isEmpty()) {
                throw new ModelValidationException("the model has no layers: call addLayer(...) at least once");
            }
            int g = cell.gates();
            layers.clear();
            for (int l = 0; l < rawLayers.size(); l++) {
                float[][] t = rawLayers.get(l);
                int in = l == 0 ? inputSize : hiddenSize;
                String p = "layer " + l + " ";
                check(p + "weight_ih", t[0], g * hiddenSize, in);
                check(p + "weight_hh", t[1], g * hiddenSize, hiddenSize);
                check(p + "bias_ih", t[2], g * hiddenSize, 1);
                check(p + "bias_hh", t[3], g * hiddenSize, 1);
                layers.add(new LayerWeights(in, t[0], t[1], t[2], t[3]));
            }
            check("head.weight", headWeight, outputSize, hiddenSize);
            check("head.bias", headBias, outputSize, 1);
            if (normalization != null && (normalization.inputs() != inputSize
                    || normalization.outputs() != outputSize)) {
                throw new ModelValidationException("normalization is for " + normalization.inputs() + " inputs and "
                        + normalization.outputs() + " outputs, but the model has " + inputSize + " inputs and "
                        + outputSize + " outputs");
            }
            return new RnnModel(this);
        }

        private static void positive(String what, int value) {
            if (value <= 0) {
                throw new ModelValidationException(
                        what + " must be positive, got " + (value == -1 ? "nothing (not set)" : value));
            }
        }

        private void check(String name, float[] values, int rows, int cols) {
            String shape = cols == 1 ? "[" + rows + "]" : "[" + rows + "][" + cols + "]";
            if (values == null) {
                throw new ModelValidationException(name + " is missing: expected shape " + shape + " for a "
                        + cell.name() + " with hidden size " + hiddenSize);
            }
            if (values.length != rows * cols) {
                throw new ModelValidationException(name + ": expected shape " + shape + " = " + (rows * cols)
                        + " values, got " + values.length + " (" + cell.name() + ", input size " + inputSize
                        + ", hidden size " + hiddenSize + ", output size " + outputSize + ")");
            }
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new ModelValidationException(name + " holds " + values[i] + " at index " + i
                            + (cols == 1 ? "" : " (row " + i / cols + ", column " + i % cols + ")")
                            + ": weights must be finite");
                }
            }
        }
    }
}
