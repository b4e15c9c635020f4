package io.flinkrnn.kernels.backends;

import com.aparapi.device.OpenCLDevice;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.BackendFailureException;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.kernels.opencl.OpenClDevices;
import io.flinkrnn.kernels.opencl.OpenClStepBackend;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and opens the backend for a model, once, and logs which one runs and why:
 * <ul>
 *   <li>{@code java}: the Java backend.</li>
 *   <li>{@code opencl}: the first OpenCL device, GPUs first; fails with a clear message if there is none.</li>
 *   <li>{@code auto}: an OpenCL GPU; else an OpenCL CPU device if {@link BackendOptions#allowCpuOpenCl()};
 *       else the Java backend (usually faster than OpenCL on the same CPU).</li>
 * </ul>
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private Backends() {
    }

    public static StepBackend open(RnnModel model, BackendOptions options) {
        StepBackend backend = choose(model, options);
        LOG.info("Stepping {} with the {} backend on {}: {}", model.describe(),
                backend.info().kind().name().toLowerCase(), backend.info().device(), backend.info().reason());
        return backend;
    }

    private static StepBackend choose(RnnModel model, BackendOptions options) {
        switch (options.kind()) {
            case JAVA:
                return java(model, options, "backend=java was asked for");
            case OPENCL: {
                List<OpenCLDevice> devices = OpenClDevices.all();
                if (devices.isEmpty()) {
                    throw new BackendFailureException("backend=opencl was asked for but no OpenCL device was found"
                            + (OpenClDevices.available() ? "" : " (no OpenCL library or platform could be loaded)")
                            + ": install a driver (for CPUs: apt-get install pocl-opencl-icd ocl-icd-libopencl1)"
                            + " or use backend=java or auto");
                }
                return openCl(model, options, devices.get(0), "backend=opencl was asked for");
            }
            case AUTO:
            default: {
                Optional<OpenCLDevice> gpu = OpenClDevices.firstGpu();
                if (gpu.isPresent()) {
                    return openCl(model, options, gpu.get(), "backend=auto found an OpenCL GPU");
                }
                if (options.allowCpuOpenCl()) {
                    Optional<OpenCLDevice> cpu = OpenClDevices.firstNonGpu();
                    if (cpu.isPresent()) {
                        return openCl(model, options, cpu.get(),
                                "backend=auto found no GPU; an OpenCL CPU device is allowed");
                    }
                }
                return java(model, options, OpenClDevices.available()
                        ? "backend=auto found no OpenCL GPU" + (options.allowCpuOpenCl() ? " nor CPU device" : "")
                        : "backend=auto found no OpenCL library or platform");
            }
        }
    }

    private static StepBackend java(RnnModel model, BackendOptions options, String reason) {
        return new CpuStepBackend(model, options.threads(), reason);
    }

    private static StepBackend openCl(RnnModel model, BackendOptions options, OpenCLDevice device, String reason) {
        return new OpenClStepBackend(model, device, options.openClBatchCapacity(), reason);
    }
}
