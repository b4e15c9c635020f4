package io.flinkrnn.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.flinkrnn.kernels.GoldenCase;
import io.flinkrnn.kernels.GoldenVectorsTest;
import io.flinkrnn.kernels.TestEnvironment;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.RnnModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every golden {@code .onnx} imports to exactly the weights of its JSON twin (bit for bit, after mapping
 * ONNX gate order to PyTorch's) and reproduces the JSON's expected outputs within 1e-5; what the kernels
 * cannot run exactly is refused with the node named.
 */
class OnnxImporterTest {
    @TestFactory
    List<DynamicTest> everyGoldenOnnxMatchesItsJson() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (GoldenCase c : TestEnvironment.goldenCases()) {
            Path onnx = GoldenCase.dir().resolve(c.name.replace(".json", ".onnx"));
            tests.add(DynamicTest.dynamicTest(c.name, () -> {
                RnnModel imported = OnnxImporter.importModel(Files.readAllBytes(onnx), onnx.toString());
                assertEquals(c.model, imported, "imported weights differ from the JSON's");
                GoldenVectorsTest.check(c, imported, m -> new CpuStepBackend(m, 1, "test"));
            }));
        }
        assertTrue(tests.size() >= 4, "expected the four golden ONNX files");
        return tests;
    }

    private static ModelProto golden(String name) throws Exception {
        return ModelProto.parseFrom(Files.readAllBytes(GoldenCase.dir().resolve(name)));
    }

    /** The golden LSTM with one change to its first LSTM node. */
    private static byte[] lstmWith(java.util.function.UnaryOperator<NodeProto.Builder> change) throws Exception {
        TestEnvironment.goldenCases();
        ModelProto m = golden("lstm-3-5-1-2-7-4.onnx");
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getOpType().equals("LSTM")) {
                g.setNode(i, change.apply(g.getNode(i).toBuilder()).build());
                break;
            }
        }
        return m.toBuilder().setGraph(g).build().toByteArray();
    }

    /** Sets input {@code i}, padding with empty (absent) inputs as ONNX does. */
    private static NodeProto.Builder input(NodeProto.Builder n, int i, String name) {
        while (n.getInputCount() <= i) {
            n.addInput("");
        }
        return n.setInput(i, name);
    }

    private static AttributeProto str(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(shade.com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    private static String refusal(byte[] onnx) {
        return assertThrows(OnnxImportException.class, () -> OnnxImporter.importModel(onnx, "m.onnx")).getMessage();
    }

    @Test
    void refusesWhatItCannotRunExactly() throws Exception {
        assertTrue(refusal(lstmWith(n -> n.addAttribute(str("direction", "bidirectional"))))
                .contains("direction=bidirectional"));
        assertTrue(refusal(lstmWith(n -> n.addAttribute(AttributeProto.newBuilder().setName("clip")
                .setType(AttributeProto.AttributeType.FLOAT).setF(3f)))).contains("attribute clip (cell clipping)"));
        assertTrue(refusal(lstmWith(n -> n.addAttribute(AttributeProto.newBuilder().setName("activations")
                .setType(AttributeProto.AttributeType.STRINGS)
                .addStrings(shade.com.google.protobuf.ByteString.copyFromUtf8("Relu"))
                .addStrings(shade.com.google.protobuf.ByteString.copyFromUtf8("Tanh"))
                .addStrings(shade.com.google.protobuf.ByteString.copyFromUtf8("Tanh"))))).contains("activations [Relu"));
        assertTrue(refusal(lstmWith(n -> n.addAttribute(AttributeProto.newBuilder().setName("layout")
                .setType(AttributeProto.AttributeType.INT).setI(1)))).contains("layout=1"));
        assertTrue(refusal(lstmWith(n -> input(n, 7, "onnx::LSTM_P"))).contains("peephole weights (input P)"));
        assertTrue(refusal(lstmWith(n -> input(n, 4, "seq_lens"))).contains("sequence_lens"));
    }

    @Test
    void refusesUnknownOpsAndGarbage() throws Exception {
        TestEnvironment.goldenCases();
        ModelProto m = golden("gru-3-5-1-2-7-4.onnx");
        GraphProto g = m.getGraph().toBuilder().addNode(NodeProto.newBuilder().setName("weird").setOpType("Relu")
                .addInput("forecast").addOutput("y")).build();
        String msg = refusal(m.toBuilder().setGraph(g).build().toByteArray());
        assertTrue(msg.contains("node 'weird' (Relu) is not supported"), msg);
        assertTrue(refusal("not onnx at all".getBytes()).contains("m.onnx: not an ONNX model"));
    }
}
