package io.flinkrnn.kernels;

/**
 * How to choose and size a backend. Immutable; start from {@link #defaults()}.
 *
 * <pre>{@code
 * BackendOptions opts = BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(2);
 * }</pre>
 */
public final class BackendOptions implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final BackendKind kind;
    private final int threads;
    private final boolean allowCpuOpenCl;
    private final int openClBatchCapacity;

    private BackendOptions(BackendKind kind, int threads, boolean allowCpuOpenCl, int openClBatchCapacity) {
        if (kind == null) {
            throw new IllegalArgumentException("backend kind is null: expected auto, java or opencl");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (openClBatchCapacity < 1) {
            throw new IllegalArgumentException("OpenCL batch capacity must be at least 1, got "
                    + openClBatchCapacity);
        }
        this.kind = kind;
        this.threads = threads;
        this.allowCpuOpenCl = allowCpuOpenCl;
        this.openClBatchCapacity = openClBatchCapacity;
    }

    /** auto, one Java thread per available core, no OpenCL CPU device under auto, capacity 1024. */
    public static BackendOptions defaults() {
        return new BackendOptions(BackendKind.AUTO, Runtime.getRuntime().availableProcessors(), false, 1024);
    }

    public BackendOptions withKind(BackendKind kind) {
        return new BackendOptions(kind, threads, allowCpuOpenCl, openClBatchCapacity);
    }

    /** Java backend threads (the caller's thread counts as one). */
    public BackendOptions withThreads(int threads) {
        return new BackendOptions(kind, threads, allowCpuOpenCl, openClBatchCapacity);
    }

    /** Whether {@link BackendKind#AUTO} may pick an OpenCL CPU device (such as PoCL) when no GPU exists. */
    public BackendOptions withAllowCpuOpenCl(boolean allow) {
        return new BackendOptions(kind, threads, allow, openClBatchCapacity);
    }

    /** Keys per OpenCL launch: device buffers are sized for it; larger batches run in several launches. */
    public BackendOptions withOpenClBatchCapacity(int capacity) {
        return new BackendOptions(kind, threads, allowCpuOpenCl, capacity);
    }

    public BackendKind kind() {
        return kind;
    }

    public int threads() {
        return threads;
    }

    public boolean allowCpuOpenCl() {
        return allowCpuOpenCl;
    }

    public int openClBatchCapacity() {
        return openClBatchCapacity;
    }

    @Override
    public String toString() {
        return "backend=" + kind.name().toLowerCase() + " threads=" + threads + " allowCpuOpenCl="
                + allowCpuOpenCl + " openClBatchCapacity=" + openClBatchCapacity;
    }
}
