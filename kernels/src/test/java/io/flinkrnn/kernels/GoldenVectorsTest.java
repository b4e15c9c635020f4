package io.flinkrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.kernels.opencl.OpenClStepBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every PyTorch golden case in {@code golden.dir}, on every backend this machine has: forecasts, the last
 * layer's h at every step, and the final h and c of every layer, each within 1e-5 absolute.
 */
public class GoldenVectorsTest {
    static final double TOLERANCE = 1e-5;

    @TestFactory
    List<DynamicTest> goldenCasesOnEveryBackend() throws Exception {
        List<GoldenCase> cases = TestEnvironment.goldenCases();
        List<DynamicTest> tests = new ArrayList<>();
        for (GoldenCase c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name + " on java (best)",
                    () -> check(c, m -> new CpuStepBackend(m, 2, "test"))));
            tests.add(DynamicTest.dynamicTest(c.name + " on java (plain)",
                    () -> check(c, m -> CpuStepBackend.plainJava(m, 1))));
            if (!TestEnvironment.openClHidden()) {
                tests.add(DynamicTest.dynamicTest(c.name + " on opencl", () -> check(c,
                        m -> new OpenClStepBackend(m, TestEnvironment.requireOpenClDevice(), 2, "test"))));
            }
        }
        assertTrue(tests.size() >= 2 * cases.size());
        return tests;
    }

    static void check(GoldenCase c, Function<RnnModel, StepBackend> open) {
        check(c, c.model, open);
    }

    /** Runs {@code m} (the case's model, or one imported from elsewhere) and checks the case's outputs. */
    public static void check(GoldenCase c, RnnModel m, Function<RnnModel, StepBackend> open) {
        float[] states = c.initialStates.clone();
        float[] forecasts = new float[c.batch * c.steps * m.outputSize()];
        float[] hidden = new float[c.batch * c.steps * m.hiddenSize()];
        try (StepBackend backend = open.apply(m)) {
            new SequenceRunner(backend).run(c.batch, c.steps, c.x, states, forecasts, hidden);
        }
        assertClose(c.name + " forecast", c.expectedForecast, forecasts);
        assertClose(c.name + " hidden_seq", c.expectedHiddenSeq, hidden);
        int h = m.hiddenSize();
        for (int l = 0; l < m.layerCount(); l++) {
            for (int b = 0; b < c.batch; b++) {
                for (int j = 0; j < h; j++) {
                    int i = (l * c.batch + b) * h + j;
                    assertEquals(c.expectedFinalH[i], c.stateValue(states, l, b, j), TOLERANCE,
                            c.name + " final h layer " + l + " key " + b + " unit " + j);
                    if (m.cell() == CellType.LSTM) {
                        assertEquals(c.expectedFinalC[i], c.stateValue(states, m.layerCount() + l, b, j), TOLERANCE,
                                c.name + " final c layer " + l + " key " + b + " unit " + j);
                    }
                }
            }
        }
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + " at flat index " + i);
        }
    }
}
