package io.flinkrnn.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.device.OpenCLDevice;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.SequenceRunner;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.TestEnvironment;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenCL kernels against the Java backend on random models: both cells and both GRU conventions, 1 to 3
 * layers, hidden sizes from 1 to 256, odd sizes, a batch larger than the device capacity (several launch
 * groups). Host-pointer sharing is off (see TestEnvironment), so a missing transfer would show.
 */
class OpenClVsJavaTest {
    static final int BATCH = 13;
    static final int STEPS = 6;

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 1, 1, 1),
                Arguments.of(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 3, 7, 2, 2),
                Arguments.of(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 8, 64, 3, 3),
                Arguments.of(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 5, 256, 1, 5),
                Arguments.of(CellType.GRU, GruResetMode.AFTER_PRODUCT, 1, 1, 1, 1),
                Arguments.of(CellType.GRU, GruResetMode.AFTER_PRODUCT, 4, 33, 2, 3),
                Arguments.of(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 256, 3, 2),
                Arguments.of(CellType.GRU, GruResetMode.BEFORE_PRODUCT, 3, 7, 1, 1),
                Arguments.of(CellType.GRU, GruResetMode.BEFORE_PRODUCT, 6, 65, 3, 4));
    }

    /** Keras's hard-sigmoid gates, both slopes, on the device. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @org.junit.jupiter.params.provider.CsvSource({"LSTM, AFTER_PRODUCT, HARD_SIGMOID",
        "GRU, BEFORE_PRODUCT, HARD_SIGMOID", "GRU, AFTER_PRODUCT, HARD_SIGMOID_KERAS3"})
    void openClMatchesJavaWithHardSigmoidGates(CellType cell, GruResetMode mode,
            io.flinkrnn.kernels.model.GateActivation gates) {
        Assumptions.assumeFalse(TestEnvironment.openClHidden(), "OpenCL is hidden in this run");
        compare(RandomModels.withGates(RandomModels.model(cell, mode, 4, 33, 2, 3, 77), gates),
                TestEnvironment.requireOpenClDevice());
    }

    @ParameterizedTest(name = "{0} {1} F={2} H={3} L={4} outputs={5}")
    @MethodSource("shapes")
    void openClMatchesJava(CellType cell, GruResetMode mode, int f, int h, int layers, int outputs) {
        Assumptions.assumeFalse(TestEnvironment.openClHidden(), "OpenCL is hidden in this run");
        OpenCLDevice device = TestEnvironment.requireOpenClDevice();
        compare(RandomModels.model(cell, mode, f, h, layers, outputs, 31L * h + layers), device);
    }

    private static void compare(RnnModel model, OpenCLDevice device) {
        int f = model.inputSize();
        int outputs = model.outputSize();
        float[] x = RandomModels.gaussian(5, BATCH * STEPS * f);
        float[] init = RandomModels.gaussian(6, BATCH * model.stateSize());
        float[] javaStates = init.clone();
        float[] clStates = init.clone();
        float[] javaOut = new float[BATCH * STEPS * outputs];
        float[] clOut = new float[BATCH * STEPS * outputs];
        try (StepBackend java = new CpuStepBackend(model, 2, "test")) {
            new SequenceRunner(java).run(BATCH, STEPS, x, javaStates, javaOut, null);
        }
        try (StepBackend cl = new OpenClStepBackend(model, device, 5, "test")) {
            new SequenceRunner(cl).run(BATCH, STEPS, x, clStates, clOut, null);
        }
        double worst = 0;
        for (int i = 0; i < javaOut.length; i++) {
            assertEquals(javaOut[i], clOut[i], 1e-5, "output " + i);
            worst = Math.max(worst, Math.abs(javaOut[i] - clOut[i]));
        }
        for (int i = 0; i < javaStates.length; i++) {
            assertEquals(javaStates[i], clStates[i], 1e-5, "state " + i);
        }
        assertTrue(worst < 1e-5);
    }
}
