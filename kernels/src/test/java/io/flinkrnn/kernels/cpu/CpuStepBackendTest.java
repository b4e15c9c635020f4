package io.flinkrnn.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CpuStepBackendTest {
    private static final int BATCH = 600;

    /** Large enough that two threads each get more than the minimum work, so the 2-thread step does split. */
    private final RnnModel model = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 16, 128, 2, 3, 21);

    @Test
    void aBackendWithOtherThreadsOverTheSameWeightsGivesTheSameBits() {
        float[] inputs = RandomModels.gaussian(1, BATCH * model.inputSize());
        float[] initial = RandomModels.gaussian(2, BATCH * model.stateSize());
        try (CpuStepBackend one = new CpuStepBackend(model, 1, "test");
                CpuStepBackend two = one.withThreads(2)) {
            assertTrue(two.info().device().contains("x2 threads"), two.info().device());
            assertEquals(one.info().reason(), two.info().reason());
            float[] s1 = initial.clone();
            float[] s2 = initial.clone();
            float[] o1 = new float[BATCH * model.outputSize()];
            float[] o2 = new float[BATCH * model.outputSize()];
            for (int step = 0; step < 3; step++) {
                one.step(BATCH, inputs, s1, o1);
                two.step(BATCH, inputs, s2, o2);
                assertArrayEquals(o1, o2, "outputs after step " + step);
                assertArrayEquals(s1, s2, "states after step " + step);
            }
            assertFalse(Arrays.equals(initial, s1), "the steps changed nothing");
        }
    }

    @Test
    void closingOneOfTwoBackendsOverTheSameWeightsLeavesTheOtherWorking() {
        float[] inputs = RandomModels.gaussian(3, BATCH * model.inputSize());
        float[] states = new float[BATCH * model.stateSize()];
        float[] outputs = new float[BATCH * model.outputSize()];
        CpuStepBackend first = new CpuStepBackend(model, 2, "test");
        try (CpuStepBackend second = first.withThreads(2)) {
            first.close();
            assertThrows(IllegalStateException.class, () -> first.step(BATCH, inputs, states, outputs));
            second.step(BATCH, inputs, states, outputs);
            assertFalse(allZero(outputs), "the remaining backend produced nothing");
        }
    }

    private static boolean allZero(float[] a) {
        for (float v : a) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }
}
