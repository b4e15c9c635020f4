package io.flinkrnn.kernels.opencl;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.kernel.KernelManager;
import io.flinkrnn.kernels.BackendFailureException;
import io.flinkrnn.kernels.BackendInfo;
import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The Aparapi/OpenCL backend. Weights are uploaded once at start (explicit buffers); each launch group moves
 * only the batch's inputs and states in and the new states and outputs back. Kernels are compiled in the
 * constructor, so the first event pays nothing. A batch larger than the capacity runs in several launch
 * groups; keys never interact, so that changes no result.
 *
 * <p>Aparapi always moves a whole array, so the host-side buffers come in tiers of key capacity (64, 256,
 * 1024, ... up to {@code capacity}), each a compiled kernel with its own buffers, and a launch group uses the
 * smallest tier that holds it. Without tiers, a wave of 20 keys (a bundle's repeated keys) through a
 * 1024-key kernel moved 1024 keys' states each way; on a real GPU the transfers are most of a step's time.
 *
 * <p>Aparapi would quietly re-run a kernel on its Java thread pool if the device failed; this backend
 * checks after every launch that the device really ran it and throws {@link BackendFailureException}
 * otherwise, so a stream never changes backend silently.
 */
public final class OpenClStepBackend implements StepBackend {
    /** Work-group size; the global size is padded up to a multiple and the kernels guard the tail. */
    private static final int LOCAL = 64;
    /** The smallest tier, and the factor between tiers. */
    static final int FIRST_TIER = 64;
    static final int TIER_FACTOR = 4;

    private final RnnModel model;
    private final OpenCLDevice device;
    /** Smallest capacity first; the last holds {@code capacity} keys. */
    private final StepKernel[] tiers;
    private final int capacity;
    private final boolean twoPhase;
    private final BackendInfo info;
    private boolean closed;

    public OpenClStepBackend(RnnModel model, OpenCLDevice device, int capacity, String reason) {
        this.model = model;
        this.device = device;
        this.capacity = capacity;
        DeviceWeights w = new DeviceWeights(model);
        boolean resetAfter = model.gruResetMode() == GruResetMode.AFTER_PRODUCT;
        this.twoPhase = model.cell() == CellType.GRU && !resetAfter;
        this.info = new BackendInfo(BackendKind.OPENCL, OpenClDevices.describe(device), reason);
        int[] sizes = tierCapacities(capacity);
        this.tiers = new StepKernel[sizes.length];
        try {
            for (int i = 0; i < sizes.length; i++) {
                tiers[i] = model.cell() == CellType.LSTM ? new LstmStepKernel(w, sizes[i])
                        : new GruStepKernel(w, sizes[i], resetAfter);
                prepare(tiers[i], w);
            }
        } catch (RuntimeException e) {
            disposeAll();
            throw e;
        }
    }

    /** 64, 256, 1024, ... below {@code capacity}, then {@code capacity} itself. */
    static int[] tierCapacities(int capacity) {
        int count = 1;
        for (long c = FIRST_TIER; c < capacity; c *= TIER_FACTOR) {
            count++;
        }
        int[] sizes = new int[count];
        long c = FIRST_TIER;
        for (int i = 0; i < count - 1; i++, c *= TIER_FACTOR) {
            sizes[i] = (int) c;
        }
        sizes[count - 1] = capacity;
        return sizes;
    }

    /** Compiles for the device, uploads the weights, and launches once (see {@link #warmUp}). */
    private void prepare(StepKernel kernel, DeviceWeights w) {
        KernelManager.instance().setPreferredDevices(kernel, new LinkedHashSet<>(List.<Device>of(device)));
        kernel.setExplicit(true);
        try {
            kernel.compile(device);
        } catch (CompileFailedException | RuntimeException e) {
            throw new BackendFailureException("OpenCL kernel for " + model.describe() + " did not compile on "
                    + OpenClDevices.describe(device) + ": " + e.getMessage(), e);
        }
        kernel.put(w.wx).put(w.wxOffset).put(w.wh).put(w.bx).put(w.bh).put(w.headW).put(w.headB);
        warmUp(kernel);
    }

    /**
     * One launch of every pass with no keys: creates the device buffers and uploads the weights now rather
     * than on the first event, and proves the device runs the kernel. (It also matters for clean-up: Aparapi
     * 3.0.2's native dispose crashes on a kernel that was compiled but never launched.)
     */
    private void warmUp(StepKernel kernel) {
        kernel.batch = 0;
        Range one = range(1);
        for (int l = 0; l <= model.layerCount(); l++) {
            kernel.pass = l;
            if (twoPhase && l < model.layerCount()) {
                kernel.phase = 0;
                launch(kernel, one);
            }
            kernel.phase = 1;
            launch(kernel, one);
        }
    }

    @Override
    public RnnModel model() {
        return model;
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    @Override
    public void step(int batch, float[] inputs, float[] states, float[] outputs) {
        if (closed) {
            throw new IllegalStateException("backend is closed");
        }
        StepBackend.checkStepArgs(model, batch, inputs, states, outputs);
        for (int from = 0; from < batch; from += capacity) {
            launchGroup(from, Math.min(capacity, batch - from), inputs, states, outputs);
        }
    }

    private void launchGroup(int from, int n, float[] inputs, float[] states, float[] outputs) {
        StepKernel kernel = tiers[tiers.length - 1];
        for (StepKernel t : tiers) {
            if (t.capacity >= n) {
                kernel = t;
                break;
            }
        }
        int f = model.inputSize();
        int s = model.stateSize();
        int h = model.outputSize();
        System.arraycopy(inputs, from * f, kernel.x, 0, n * f);
        System.arraycopy(states, from * s, kernel.stateIn, 0, n * s);
        kernel.put(kernel.x).put(kernel.stateIn);
        kernel.batch = n;
        Range units = range(n * model.hiddenSize());
        for (int l = 0; l < model.layerCount(); l++) {
            kernel.pass = l;
            if (twoPhase) {
                kernel.phase = 0;
                launch(kernel, units);
            }
            kernel.phase = 1;
            launch(kernel, units);
        }
        kernel.pass = model.layerCount();
        launch(kernel, range(n * h));
        kernel.get(kernel.stateOut).get(kernel.out);
        System.arraycopy(kernel.stateOut, 0, states, from * s, n * s);
        System.arraycopy(kernel.out, 0, outputs, from * h, n * h);
    }

    private Range range(int items) {
        int padded = (items + LOCAL - 1) / LOCAL * LOCAL;
        return Range.create(device, padded, LOCAL);
    }

    private void launch(StepKernel kernel, Range range) {
        try {
            kernel.execute(range);
        } catch (RuntimeException e) {
            throw new BackendFailureException("OpenCL launch failed on " + info.device(), e);
        }
        if (!kernel.isRunningCL()) {
            throw new BackendFailureException("OpenCL launch on " + info.device()
                    + " did not run on the device (Aparapi fell back to Java threads); see the Aparapi log");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            disposeAll();
        }
    }

    private void disposeAll() {
        for (StepKernel k : tiers) {
            if (k != null) {
                k.dispose();
            }
        }
    }
}
