package io.flinkrnn.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.aparapi.device.OpenCLDevice;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.TestEnvironment;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The OpenCL backend's capacity tiers: which tiers exist, and that the tier a key runs in changes no bit. */
class OpenClStepBackendTest {

    @Test
    void tiersGrowByFourUpToTheCapacity() {
        assertArrayEquals(new int[] {1}, OpenClStepBackend.tierCapacities(1));
        assertArrayEquals(new int[] {64}, OpenClStepBackend.tierCapacities(64));
        assertArrayEquals(new int[] {64, 65}, OpenClStepBackend.tierCapacities(65));
        assertArrayEquals(new int[] {64, 256, 1024}, OpenClStepBackend.tierCapacities(1024));
        assertArrayEquals(new int[] {64, 256, 1000}, OpenClStepBackend.tierCapacities(1000));
        assertArrayEquals(new int[] {64, 256, 1024, 4096, 16384, 65536, 262144, 1_000_000},
                OpenClStepBackend.tierCapacities(1_000_000));
    }

    /**
     * Capacity 300 gives tiers 64, 256 and 300. Batches of 1, 64, 65, 256, 300 and 301 (two launch groups)
     * each run in a different tier or split; every key must come out with the bits it gets when stepped alone.
     */
    @Test
    void aKeysBitsDoNotDependOnTheTierItRunsIn() {
        Assumptions.assumeFalse(TestEnvironment.openClHidden(), "OpenCL is hidden in this run");
        OpenCLDevice device = TestEnvironment.requireOpenClDevice();
        RnnModel model = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 3, 20, 2, 2, 7);
        int f = model.inputSize();
        int s = model.stateSize();
        int h = model.outputSize();
        try (OpenClStepBackend cl = new OpenClStepBackend(model, device, 300, "test")) {
            for (int batch : new int[] {1, 64, 65, 256, 300, 301}) {
                float[] x = RandomModels.gaussian(batch, batch * f);
                float[] states = RandomModels.gaussian(batch + 1000, batch * s);
                float[] out = new float[batch * h];
                float[] batchedStates = states.clone();
                cl.step(batch, x, batchedStates, out);
                for (int k = 0; k < batch; k += Math.max(1, batch / 7)) {
                    float[] aloneX = Arrays.copyOfRange(x, k * f, (k + 1) * f);
                    float[] aloneState = Arrays.copyOfRange(states, k * s, (k + 1) * s);
                    float[] aloneOut = new float[h];
                    cl.step(1, aloneX, aloneState, aloneOut);
                    assertArrayEquals(aloneOut, Arrays.copyOfRange(out, k * h, (k + 1) * h),
                            "batch " + batch + " key " + k + " output");
                    assertArrayEquals(aloneState, Arrays.copyOfRange(batchedStates, k * s, (k + 1) * s),
                            "batch " + batch + " key " + k + " state");
                }
            }
        }
    }
}
