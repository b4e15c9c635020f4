package io.flinkrnn.kernels;

/** Which backend a caller asks for. */
public enum BackendKind {
    /** An OpenCL GPU if there is one; else an OpenCL CPU device if allowed; else Java threads. */
    AUTO,
    /** The project's own multi-threaded Java kernels. */
    JAVA,
    /** Aparapi OpenCL kernels; fails at start with a clear message when no OpenCL device exists. */
    OPENCL;

    public static BackendKind parse(String name) {
        for (BackendKind k : values()) {
            if (k.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "': expected auto, java or opencl");
    }
}
