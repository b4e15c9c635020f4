package io.flinkrnn.models.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports what {@code torch.onnx.export} writes for {@code nn.LSTM} / {@code nn.GRU} (1..N layers, with or
 * without initial-state inputs, the Slice/Squeeze/Transpose/Concat glue between layers) followed by a linear
 * head ({@code MatMul} + {@code Add}, or {@code Gemm}). ONNX gate blocks are mapped to PyTorch's order (LSTM
 * i,o,f,c → i,f,g,o; GRU z,r,h → r,z,n) and its bias [Wb, Rb] split. Everything the kernels could not run
 * exactly — bidirectional or reverse layers, peepholes, non-default activations, clip, coupled input/forget,
 * {@code layout=1}, non-float weights, unknown ops — is refused naming the node and the reason.
 */
public final class OnnxImporter {
    private static final Set<String> GLUE = Set.of("Transpose", "Squeeze", "Unsqueeze", "Slice", "Concat",
            "Constant", "Shape", "Gather", "ConstantOfShape", "Identity", "Reshape", "Cast");

    private final Map<String, float[]> floats = new HashMap<>();
    private final Map<String, List<Long>> dims = new HashMap<>();

    private OnnxImporter() {
    }

    public static RnnModel importModel(byte[] onnx, String source) {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(onnx);
        } catch (Exception e) {
            throw new OnnxImportException(source + ": not an ONNX model: " + e.getMessage(), e);
        }
        if (!m.hasGraph() || m.getGraph().getNodeCount() == 0) {
            throw new OnnxImportException(source + ": the ONNX file has no graph");
        }
        return new OnnxImporter().convert(m.getGraph(), source);
    }

    private RnnModel convert(GraphProto g, String source) {
        for (TensorProto t : g.getInitializerList()) {
            dims.put(t.getName(), t.getDimsList());
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                floats.put(t.getName(), read(t));
            }
        }
        List<NodeProto> recurrent = new ArrayList<>();
        NodeProto matMul = null;
        NodeProto add = null;
        NodeProto gemm = null;
        for (NodeProto n : g.getNodeList()) {
            String op = n.getOpType();
            if (op.equals("LSTM") || op.equals("GRU")) {
                recurrent.add(n);
            } else if (op.equals("MatMul")) {
                matMul = once(matMul, n, source);
            } else if (op.equals("Add")) {
                add = once(add, n, source);
            } else if (op.equals("Gemm")) {
                gemm = once(gemm, n, source);
            } else if (!GLUE.contains(op)) {
                throw new OnnxImportException(source + ": node " + name(n) + " (" + op + ") is not supported: only"
                        + " LSTM/GRU layers, a MatMul+Add or Gemm head and shape glue can be imported");
            }
        }
        if (recurrent.isEmpty()) {
            throw new OnnxImportException(source + ": no LSTM or GRU node found");
        }
        CellType cell = recurrent.get(0).getOpType().equals("LSTM") ? CellType.LSTM : CellType.GRU;
        RnnModel.Builder b = RnnModel.builder().cell(cell);
        int hidden = -1;
        Boolean resetAfter = null;
        for (int l = 0; l < recurrent.size(); l++) {
            NodeProto n = recurrent.get(l);
            if (!n.getOpType().equals(recurrent.get(0).getOpType())) {
                throw new OnnxImportException(source + ": node " + name(n) + " mixes " + n.getOpType() + " with "
                        + recurrent.get(0).getOpType() + " layers");
            }
            int h = (int) attrInt(n, "hidden_size", -1);
            if (h <= 0) {
                throw new OnnxImportException(source + ": node " + name(n) + " has no hidden_size attribute");
            }
            if (hidden >= 0 && h != hidden) {
                throw new OnnxImportException(source + ": node " + name(n) + " has hidden_size " + h + ", layer 0 has "
                        + hidden + ": layers of different sizes are not supported");
            }
            hidden = h;
            checkAttributes(n, cell, source);
            if (cell == CellType.GRU) {
                boolean after = attrInt(n, "linear_before_reset", 0) == 1;
                if (resetAfter != null && after != resetAfter) {
                    throw new OnnxImportException(source + ": node " + name(n)
                            + " uses another linear_before_reset than layer 0");
                }
                resetAfter = after;
            }
            int gates = cell.gates();
            float[] w = weight(n, 1, source, "W");
            float[] r = weight(n, 2, source, "R");
            List<Long> wd = dims.get(n.getInput(1));
            if (wd.size() != 3 || wd.get(0) != 1 || wd.get(1) != (long) gates * h) {
                throw new OnnxImportException(source + ": node " + name(n) + " input W has shape " + wd + ", expected [1, "
                        + gates * h + ", input]");
            }
            int in = wd.get(2).intValue();
            if (l == 0) {
                b.inputSize(in);
            }
            float[] bias = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? weight(n, 3, source, "B")
                    : new float[2 * gates * h];
            if (bias.length != 2 * gates * h) {
                throw new OnnxImportException(source + ": node " + name(n) + " input B has " + bias.length
                        + " values, expected " + 2 * gates * h);
            }
            int[] order = cell == CellType.LSTM ? new int[] {0, 2, 3, 1} : new int[] {1, 0, 2};
            b.addLayer(reorder(w, order, h, in), reorder(r, order, h, h),
                    reorder(java.util.Arrays.copyOfRange(bias, 0, gates * h), order, h, 1),
                    reorder(java.util.Arrays.copyOfRange(bias, gates * h, 2 * gates * h), order, h, 1));
        }
        b.hiddenSize(hidden).gruResetMode(resetAfter == null || resetAfter ? GruResetMode.AFTER_PRODUCT
                : GruResetMode.BEFORE_PRODUCT);
        head(b, hidden, matMul, add, gemm, source);
        return b.build();
    }

    private void head(RnnModel.Builder b, int hidden, NodeProto matMul, NodeProto add, NodeProto gemm, String source) {
        float[] weight;
        float[] bias;
        int outputs;
        if (gemm != null) {
            String wName = gemm.getInput(1);
            float[] w = initializer(wName, gemm, source);
            List<Long> d = dims.get(wName);
            boolean transB = attrInt(gemm, "transB", 0) == 1;
            outputs = (transB ? d.get(0) : d.get(1)).intValue();
            weight = transB ? w : transpose(w, hidden, outputs);
            bias = gemm.getInputCount() > 2 ? initializer(gemm.getInput(2), gemm, source) : new float[outputs];
        } else if (matMul != null && add != null) {
            String wName = floats.containsKey(matMul.getInput(1)) ? matMul.getInput(1) : matMul.getInput(0);
            float[] w = initializer(wName, matMul, source);
            List<Long> d = dims.get(wName);
            if (d.size() != 2 || d.get(0) != hidden) {
                throw new OnnxImportException(source + ": node " + name(matMul) + " weight " + wName + " has shape " + d
                        + ", expected [" + hidden + ", outputs]");
            }
            outputs = d.get(1).intValue();
            weight = transpose(w, hidden, outputs);
            String bName = floats.containsKey(add.getInput(0)) ? add.getInput(0) : add.getInput(1);
            bias = initializer(bName, add, source);
        } else {
            throw new OnnxImportException(source + ": no dense head found (MatMul + Add, or Gemm, after the last layer)");
        }
        b.outputSize(outputs).head(weight, bias);
    }

    private void checkAttributes(NodeProto n, CellType cell, String source) {
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "hidden_size":
                case "linear_before_reset":
                    break;
                case "direction": {
                    String d = a.getS().toString(StandardCharsets.UTF_8);
                    if (!d.equals("forward")) {
                        throw new OnnxImportException(source + ": node " + name(n) + " has direction=" + d
                                + ": only forward layers can be stepped one event at a time");
                    }
                    break;
                }
                case "layout":
                    if (a.getI() != 0) {
                        throw new OnnxImportException(source + ": node " + name(n) + " has layout=" + a.getI()
                                + ": only layout=0 is supported");
                    }
                    break;
                case "input_forget":
                    if (a.getI() != 0) {
                        throw new OnnxImportException(source + ": node " + name(n)
                                + " couples the input and forget gates (input_forget=1): not supported");
                    }
                    break;
                case "activations": {
                    List<String> expected = cell == CellType.LSTM ? List.of("Sigmoid", "Tanh", "Tanh")
                            : List.of("Sigmoid", "Tanh");
                    List<String> got = new ArrayList<>();
                    a.getStringsList().forEach(s -> got.add(s.toString(StandardCharsets.UTF_8)));
                    if (!got.equals(expected)) {
                        throw new OnnxImportException(source + ": node " + name(n) + " has activations " + got
                                + ": only the defaults " + expected + " are supported");
                    }
                    break;
                }
                default:
                    throw new OnnxImportException(source + ": node " + name(n) + " has attribute " + a.getName()
                            + (a.getName().equals("clip") ? " (cell clipping)" : "") + ": not supported");
            }
        }
        if (cell == CellType.LSTM && n.getInputCount() > 7 && !n.getInput(7).isEmpty()) {
            throw new OnnxImportException(source + ": node " + name(n) + " has peephole weights (input P): not supported");
        }
        if (n.getInputCount() > 4 && !n.getInput(4).isEmpty()) {
            throw new OnnxImportException(source + ": node " + name(n)
                    + " has sequence_lens: variable-length batches are not supported");
        }
    }

    private float[] weight(NodeProto n, int input, String source, String what) {
        if (n.getInputCount() <= input || n.getInput(input).isEmpty()) {
            throw new OnnxImportException(source + ": node " + name(n) + " has no " + what + " input");
        }
        return initializer(n.getInput(input), n, source);
    }

    private float[] initializer(String tensor, NodeProto n, String source) {
        float[] v = floats.get(tensor);
        if (v == null) {
            throw new OnnxImportException(source + ": node " + name(n) + " reads " + tensor
                    + (dims.containsKey(tensor) ? ", which is not float32" : ", which is not a constant initializer"));
        }
        return v;
    }

    private static float[] read(TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] a = new float[bb.remaining() / 4];
            bb.asFloatBuffer().get(a);
            return a;
        }
        float[] a = new float[t.getFloatDataCount()];
        for (int i = 0; i < a.length; i++) {
            a[i] = t.getFloatData(i);
        }
        return a;
    }

    /** Rows come in gate blocks of {@code h} rows of {@code cols}; block p of the result is block order[p]. */
    private static float[] reorder(float[] onnx, int[] order, int h, int cols) {
        float[] out = new float[onnx.length];
        for (int p = 0; p < order.length; p++) {
            System.arraycopy(onnx, order[p] * h * cols, out, p * h * cols, h * cols);
        }
        return out;
    }

    private static float[] transpose(float[] kn, int k, int n) {
        float[] nk = new float[kn.length];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                nk[j * k + i] = kn[i * n + j];
            }
        }
        return nk;
    }

    private static long attrInt(NodeProto n, String name, long fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return fallback;
    }

    private static NodeProto once(NodeProto seen, NodeProto n, String source) {
        if (seen != null) {
            throw new OnnxImportException(source + ": node " + name(n) + " (" + n.getOpType() + ") is a second "
                    + n.getOpType() + ": only one dense head is supported");
        }
        return n;
    }

    private static String name(NodeProto n) {
        return n.getName().isEmpty() ? "'" + n.getOpType() + " -> " + n.getOutputList() + "'" : "'" + n.getName() + "'";
    }
}
