package io.flinkrnn.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import com.aparapi.device.OpenCLDevice;
import io.flinkrnn.kernels.opencl.OpenClDevices;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What the test JVM may expect. Under CI ({@code CI=true}) a missing OpenCL device or golden folder fails
 * the build instead of skipping, except in the run that hides OpenCL on purpose ({@code
 * OCL_ICD_VENDORS=/nonexistent}), where OpenCL must be absent.
 */
public final class TestEnvironment {
    private static boolean configured;

    private TestEnvironment() {
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** True in the surefire execution that hides every OpenCL driver to prove the Java fallback. */
    public static boolean openClHidden() {
        return "/nonexistent".equals(System.getenv("OCL_ICD_VENDORS"));
    }

    /**
     * The OpenCL devices, GPUs first, with host-pointer sharing turned off so that a missing explicit
     * {@code put} gives wrong answers on PoCL too, as it would on a discrete GPU (STACK.md).
     */
    public static synchronized List<OpenCLDevice> openClDevices() {
        if (!configured) {
            OpenCLDevice.setConfigurator(d -> d.setSharedMemory(false));
            configured = true;
        }
        return OpenClDevices.all();
    }

    /** The first OpenCL device; skips the test when there is none, or fails under CI. */
    public static OpenCLDevice requireOpenClDevice() {
        List<OpenCLDevice> devices = openClDevices();
        if (devices.isEmpty()) {
            if (ci() && !openClHidden()) {
                fail("CI=true but no OpenCL device was found: .ci/run must install pocl-opencl-icd");
            }
            Assumptions.abort("no OpenCL device on this machine");
        }
        return devices.get(0);
    }

    public static List<GoldenCase> goldenCases() throws java.io.IOException {
        List<GoldenCase> cases = GoldenCase.loadAll();
        if (cases.isEmpty()) {
            if (ci()) {
                fail("CI=true but no golden vectors in " + GoldenCase.dir().toAbsolutePath());
            }
            Assumptions.abort("no golden vectors in " + GoldenCase.dir().toAbsolutePath());
        }
        return cases;
    }

    /**
     * A file or folder under ../shared/data (beside the golden vectors): the real series the tests read. Missing
     * data fails the test under CI and skips it elsewhere.
     */
    public static java.nio.file.Path data(String relative) {
        java.nio.file.Path p = GoldenCase.dir().resolve("../data").resolve(relative).normalize();
        if (!java.nio.file.Files.exists(p)) {
            if (ci()) {
                fail("CI=true but " + p.toAbsolutePath() + " is missing: the tests read real data from ../shared/data");
            }
            Assumptions.abort("no " + p.toAbsolutePath());
        }
        return p;
    }

    /** A file under ../shared/keras (real Keras-written models); missing fails under CI and skips elsewhere. */
    public static java.nio.file.Path keras(String relative) {
        java.nio.file.Path p = GoldenCase.dir().resolve("../keras").resolve(relative).normalize();
        if (!java.nio.file.Files.exists(p)) {
            if (ci()) {
                fail("CI=true but " + p.toAbsolutePath() + " is missing: the Keras import tests read ../shared/keras");
            }
            Assumptions.abort("no " + p.toAbsolutePath());
        }
        return p;
    }
}
