package io.flinkrnn.models.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GateActivation;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a Keras model (Keras 3 {@code .keras}; legacy {@code .h5} of Keras 1, Keras 2 and tf.keras; or a
 * {@code to_json()} architecture with weights-only {@code .h5}) into the {@link RnnModel} the kernels step:
 * a chain of an optional {@code InputLayer}, one or more {@code LSTM} or {@code GRU} layers (tanh, gates
 * {@code sigmoid} or {@code hard_sigmoid}, with or without bias, GRU with {@code reset_after} true or false),
 * {@code Dropout} layers (nothing at inference) and an optional final linear {@code Dense}. Anything else is
 * refused with the layer and the reason named.
 *
 * <p>Keras's gate blocks map onto PyTorch's (LSTM i, f, c, o = i, f, g, o; GRU z, r, h reordered to r, z, n),
 * kernels are transposed, a GRU's {@code reset_after} bias splits into input and recurrent halves. Layers of
 * different sizes are padded to the largest with units whose weights and biases are zero: such a unit's
 * state starts at 0 and stays exactly 0 (its gates sit at 0.5 and its candidate at tanh(0) = 0), and nothing
 * reads it, so the outputs are those of the unpadded model. {@code hard_sigmoid} is clip(0.2x + 0.5, 0, 1)
 * in files of Keras 1 and 2 and clip(x/6 + 0.5, 0, 1) in Keras 3's.
 */
public final class KerasImporter {
    /** A model imported, and what it was. */
    public record Imported(RnnModel model, String kerasVersion, String layers) {
    }

    private record Recurrent(String name, CellType cell, int units, boolean bias, boolean resetAfter,
            Map<String, KerasWeights.Array> w) {
    }

    private KerasImporter() {
    }

    /** A {@code .keras} or full-model {@code .h5} file's bytes; {@code source} names it in messages. */
    public static Imported importModel(byte[] file, String source) {
        try (KerasFile f = KerasFile.open(file, source)) {
            return build(f, source);
        }
    }

    /** An architecture JSON ({@code model.to_json()}) and a weights-only {@code .h5} ({@code save_weights}). */
    public static Imported importModel(String architecture, byte[] weights, String source) {
        try (KerasFile f = KerasFile.open(architecture, weights, source)) {
            return build(f, source);
        }
    }

    private static Imported build(KerasFile f, String source) {
        KerasWeights weights = new KerasWeights(f, source);
        List<Recurrent> rnn = new ArrayList<>();
        String gateName = null;
        int inputs = -1;
        KerasWeights.Array denseKernel = null;
        KerasWeights.Array denseBias = null;
        List<String> summary = new ArrayList<>();
        for (KerasLayers.Layer l : KerasLayers.of(f.config, source)) {
            String where = source + ": layer '" + l.name() + "' (" + l.className() + ")";
            JsonNode c = l.config();
            if (inputs < 0) {
                inputs = inputSize(c);
            }
            if (denseKernel != null) {
                throw new KerasImportException(where + " follows the Dense layer; only a final Dense imports");
            }
            switch (l.className()) {
                case "InputLayer":
                case "Dropout":
                    summary.add(l.className());
                    break;
                case "LSTM":
                case "GRU": {
                    check(where, c);
                    String gates = c.has("recurrent_activation") ? c.path("recurrent_activation").asText()
                            : c.path("inner_activation").asText("hard_sigmoid");
                    if (!gates.equals("sigmoid") && !gates.equals("hard_sigmoid")) {
                        throw new KerasImportException(where + ": recurrent_activation '" + gates + "'; sigmoid and"
                                + " hard_sigmoid import");
                    }
                    if (gateName != null && !gateName.equals(gates)) {
                        throw new KerasImportException(where + ": gates '" + gates + "' after '" + gateName
                                + "' in an earlier layer; every layer must use the same");
                    }
                    gateName = gates;
                    CellType cell = l.className().equals("LSTM") ? CellType.LSTM : CellType.GRU;
                    int units = c.has("units") ? c.path("units").asInt() : c.path("output_dim").asInt();
                    boolean resetAfter = cell == CellType.GRU && c.path("reset_after").asBoolean(false);
                    rnn.add(new Recurrent(l.name(), cell, units, c.path("use_bias").asBoolean(true), resetAfter,
                            weights.of(l.name(), true)));
                    summary.add(l.className() + "(" + units + ")");
                    break;
                }
                case "Dense": {
                    String act = c.path("activation").asText("linear");
                    if (!act.equals("linear")) {
                        throw new KerasImportException(where + ": activation '" + act + "'; only a linear Dense"
                                + " imports");
                    }
                    if (rnn.isEmpty()) {
                        throw new KerasImportException(where + " comes before any LSTM or GRU");
                    }
                    Map<String, KerasWeights.Array> w = weights.of(l.name(), false);
                    denseKernel = w.get("kernel");
                    denseBias = w.get("bias");
                    if (denseKernel == null) {
                        throw new KerasImportException(where + ": no kernel among its weights " + w.keySet());
                    }
                    summary.add("Dense(" + denseKernel.cols() + ")");
                    break;
                }
                default:
                    throw new KerasImportException(where + ": " + l.className() + " layers do not import (a"
                            + " chain of LSTM or GRU layers, Dropout and a final linear Dense does)");
            }
        }
        if (rnn.isEmpty()) {
            throw new KerasImportException(source + ": no LSTM or GRU layer");
        }
        for (int i = 0; i < rnn.size() - 1; i++) {
            if (rnn.get(i).cell != rnn.get(i + 1).cell || rnn.get(i).resetAfter != rnn.get(i + 1).resetAfter) {
                throw new KerasImportException(source + ": layer '" + rnn.get(i + 1).name + "' is a different cell"
                        + " (or GRU convention) than '" + rnn.get(i).name + "'; every layer must be the same");
            }
        }
        if (inputs <= 0) {
            inputs = rnn.get(0).w.containsKey("kernel") ? rnn.get(0).w.get("kernel").rows()
                    : rnn.get(0).w.get("kernel_i") != null ? rnn.get(0).w.get("kernel_i").rows()
                    : rnn.get(0).w.get("kernel_z").rows();
        }
        GateActivation gates = gateName.equals("sigmoid") ? GateActivation.SIGMOID
                : f.majorVersion() >= 3 ? GateActivation.HARD_SIGMOID_KERAS3 : GateActivation.HARD_SIGMOID;
        try {
            RnnModel m = KerasWeightLayout.model(source, rnn.get(0).cell, rnn.get(0).resetAfter
                    ? GruResetMode.AFTER_PRODUCT : GruResetMode.BEFORE_PRODUCT, gates, inputs,
                    rnn.stream().map(r -> new KerasWeightLayout.Layer(r.name, r.units, r.bias, r.w)).toList(),
                    denseKernel, denseBias);
            return new Imported(m, f.kerasVersion, String.join(" -> ", summary));
        } catch (ModelValidationException e) {
            throw new KerasImportException(source + ": " + e.getMessage(), e);
        }
    }

    private static void check(String where, JsonNode c) {
        String act = c.path("activation").asText("tanh");
        if (!act.equals("tanh")) {
            throw new KerasImportException(where + ": activation '" + act + "'; only tanh imports");
        }
        if (c.path("go_backwards").asBoolean(false)) {
            throw new KerasImportException(where + ": go_backwards reads a sequence from its end, which a stream"
                    + " never has");
        }
        if (c.path("return_state").asBoolean(false)) {
            throw new KerasImportException(where + ": return_state adds outputs; only one output imports");
        }
    }

    /** The feature count from {@code batch_input_shape}, {@code batch_shape} or {@code input_dim}; -1 if none. */
    private static int inputSize(JsonNode c) {
        for (String k : new String[] {"batch_input_shape", "batch_shape"}) {
            JsonNode s = c.path(k);
            if (s.isArray() && s.size() > 0 && s.get(s.size() - 1).isInt()) {
                return s.get(s.size() - 1).asInt();
            }
        }
        return c.path("input_dim").asInt(-1);
    }
}
