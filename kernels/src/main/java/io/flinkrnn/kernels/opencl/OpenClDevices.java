package io.flinkrnn.kernels.opencl;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds OpenCL devices through Aparapi, GPUs first. Never throws when there is no OpenCL at all. */
public final class OpenClDevices {
    private OpenClDevices() {
    }

    /** Whether an OpenCL library and at least one platform could be loaded. */
    public static boolean available() {
        try {
            return OpenCLLoader.isOpenCLAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    public static List<OpenCLDevice> list(Device.TYPE type) {
        if (!available()) {
            return List.of();
        }
        try {
            return new ArrayList<>(OpenCLDevice.listDevices(type));
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    public static Optional<OpenCLDevice> firstGpu() {
        return list(Device.TYPE.GPU).stream().findFirst();
    }

    /** A CPU or accelerator device (PoCL shows up as CPU). */
    public static Optional<OpenCLDevice> firstNonGpu() {
        List<OpenCLDevice> all = new ArrayList<>(list(Device.TYPE.ACC));
        all.addAll(list(Device.TYPE.CPU));
        return all.stream().findFirst();
    }

    /** All devices, GPUs first: the order {@code opencl} picks from. */
    public static List<OpenCLDevice> all() {
        List<OpenCLDevice> all = new ArrayList<>(list(Device.TYPE.GPU));
        all.addAll(list(Device.TYPE.ACC));
        all.addAll(list(Device.TYPE.CPU));
        return all;
    }

    public static String describe(OpenCLDevice d) {
        return d.getName().trim() + " [" + d.getType() + ", " + d.getOpenCLPlatform().getName().trim() + "]";
    }
}
