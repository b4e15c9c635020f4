package io.flinkrnn.kernels;

/**
 * What runs the steps: the backend, the device (an OpenCL device name, or the Java path and thread count)
 * and the reason it was chosen. Reported once in the log and as an operator metric.
 */
public final class BackendInfo {
    private final BackendKind kind;
    private final String device;
    private final String reason;

    public BackendInfo(BackendKind kind, String device, String reason) {
        this.kind = kind;
        this.device = device;
        this.reason = reason;
    }

    /** {@link BackendKind#JAVA} or {@link BackendKind#OPENCL}: never AUTO. */
    public BackendKind kind() {
        return kind;
    }

    public String device() {
        return device;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " on " + device + " (" + reason + ")";
    }
}
