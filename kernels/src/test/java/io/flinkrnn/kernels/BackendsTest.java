package io.flinkrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.backends.Backends;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.kernels.opencl.OpenClDevices;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Backend selection. Runs twice in the build: once with PoCL visible, once with every OpenCL driver
 * hidden ({@code OCL_ICD_VENDORS=/nonexistent}), where auto must fall back to Java with the reason said
 * and opencl must fail at start with a message that says how to fix it.
 */
class BackendsTest {
    private final RnnModel model = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 8, 1, 1, 1);

    @Test
    void javaWhenAskedFor() {
        try (StepBackend b = Backends.open(model, BackendOptions.defaults().withKind(BackendKind.JAVA))) {
            assertEquals(BackendKind.JAVA, b.info().kind());
            assertTrue(b.info().reason().contains("backend=java"));
            assertTrue(b.info().device().contains("threads"), b.info().device());
        }
    }

    @Test
    void autoWithoutGpuAndWithoutCpuOpenClPicksJavaAndSaysWhy() {
        Assumptions.assumeTrue(OpenClDevices.firstGpu().isEmpty(), "this machine has a GPU");
        try (StepBackend b = Backends.open(model, BackendOptions.defaults())) {
            assertEquals(BackendKind.JAVA, b.info().kind());
            assertTrue(b.info().reason().startsWith("backend=auto found no OpenCL"), b.info().reason());
        }
    }

    /** Runs where a GPU is present (bench/gpu/run-on-device.sh on a lent GPU machine); CI has none. */
    @Test
    void autoPicksTheGpuWhenThereIsOne() {
        Assumptions.assumeTrue(OpenClDevices.firstGpu().isPresent(), "no OpenCL GPU on this machine");
        try (StepBackend b = Backends.open(model, BackendOptions.defaults())) {
            assertEquals(BackendKind.OPENCL, b.info().kind());
            assertEquals("backend=auto found an OpenCL GPU", b.info().reason());
            assertTrue(b.info().device().contains("GPU"), b.info().device());
            float[] states = new float[model.stateSize()];
            float[] out = new float[1];
            b.step(1, new float[] {0.5f, -0.25f}, states, out);
            assertTrue(Float.isFinite(out[0]) && states[0] != 0f, "the GPU step wrote its outputs");
        }
    }

    @Test
    void openClWhenADeviceExists() {
        Assumptions.assumeFalse(TestEnvironment.openClHidden());
        TestEnvironment.requireOpenClDevice();
        try (StepBackend b = Backends.open(model, BackendOptions.defaults().withKind(BackendKind.OPENCL))) {
            assertEquals(BackendKind.OPENCL, b.info().kind());
            b.step(1, new float[2], new float[8], new float[1]);
        }
        try (StepBackend b = Backends.open(model, BackendOptions.defaults().withAllowCpuOpenCl(true))) {
            assertEquals(BackendKind.OPENCL, b.info().kind(), "auto with CPU OpenCL allowed");
        }
    }

    @Test
    void hiddenOpenClFailsFastForOpenClAndFallsBackForAuto() {
        Assumptions.assumeTrue(TestEnvironment.openClHidden(), "only in the run that hides OpenCL");
        assertTrue(OpenClDevices.all().isEmpty(), "OCL_ICD_VENDORS=/nonexistent should hide every device");
        BackendFailureException e = assertThrows(BackendFailureException.class,
                () -> Backends.open(model, BackendOptions.defaults().withKind(BackendKind.OPENCL)));
        assertTrue(e.getMessage().contains("no OpenCL device was found"), e.getMessage());
        assertTrue(e.getMessage().contains("pocl-opencl-icd"), e.getMessage());
        try (StepBackend b = Backends.open(model, BackendOptions.defaults().withAllowCpuOpenCl(true))) {
            assertEquals(BackendKind.JAVA, b.info().kind());
            float[] out = new float[1];
            b.step(1, new float[] {1f, -1f}, new float[8], out);
            assertTrue(out[0] != 0f && Float.isFinite(out[0]));
        }
    }

    @Test
    void closedBackendRefusesToStep() {
        StepBackend b = Backends.open(model, BackendOptions.defaults().withKind(BackendKind.JAVA));
        b.close();
        b.close();
        assertThrows(IllegalStateException.class, () -> b.step(1, new float[2], new float[8], new float[1]));
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.defaults().withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> BackendOptions.defaults().withOpenClBatchCapacity(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendKind.parse("cuda"));
        assertTrue(e.getMessage().contains("expected auto, java or opencl"));
    }
}
