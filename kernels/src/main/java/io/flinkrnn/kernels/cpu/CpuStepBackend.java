package io.flinkrnn.kernels.cpu;

import io.flinkrnn.kernels.BackendFailureException;
import io.flinkrnn.kernels.BackendInfo;
import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java backend. A batch is cut into tiles of {@link TileMath#TILE} keys; threads (the caller's among
 * them) claim tiles through {@link TileClaims}, and each tile goes through every layer and the head
 * before the next starts, so a tile's states stay in L1 while the weights stream from L2. Keys never
 * interact, so neither the split nor the tiling changes a key's bits.
 */
public final class CpuStepBackend implements StepBackend {
    /**
     * Work a thread must get for handing it over to pay: waking a pool thread costs tens of microseconds on
     * a busy machine, about what 2 MFLOP take, so each thread gets at least 8 MFLOP (small batches ran slower
     * on two threads than on one: docs/BENCHMARKS.md).
     */
    private static final long MIN_FLOPS_PER_THREAD = 8_000_000L;
    /** Tiles a thread claims at a time from its own range: few enough claims to keep the counter cold. */
    private static final int CHUNK_TILES = 4;
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final RnnModel model;
    private final long flopsPerKey;
    private final long minFlopsPerThread;
    private final CpuWeights weights;
    private final TileMath math;
    /** The gates' hard-sigmoid slope, 0 for the logistic sigmoid. */
    private final float gateSlope;
    private final int threads;
    private final Scratch[] scratch;
    /**
     * One single-thread executor per extra thread rather than one pool: the thread that steps a range is then
     * the same from call to call, and so is the core whose cache holds that range's states.
     */
    private final ExecutorService[] workers;
    private final BackendInfo info;
    private volatile boolean closed;

    public CpuStepBackend(RnnModel model, int threads, String reason) {
        this(model, threads, reason, TileMath.best(), MIN_FLOPS_PER_THREAD);
        KernelWarmUp.ensure(math);
    }

    /** Splits across threads whenever there is more than one key: lets tests exercise every split. */
    static CpuStepBackend alwaysSplitting(RnnModel model, int threads, boolean plain) {
        return new CpuStepBackend(model, threads, "test", plain ? new ScalarTileMath() : TileMath.best(), 0);
    }

    /**
     * The plain-Java inner loops even where the Vector API is available: for comparisons and for tests that
     * prove both paths give the same bits. Production code uses the constructor, which picks the faster one.
     */
    public static CpuStepBackend plainJava(RnnModel model, int threads) {
        return new CpuStepBackend(model, threads, "plain Java asked for", new ScalarTileMath(),
                MIN_FLOPS_PER_THREAD);
    }

    CpuStepBackend(RnnModel model, int threads, String reason, TileMath math, long minFlopsPerThread) {
        this(model, threads, reason, math, minFlopsPerThread, new CpuWeights(model, math.panelWidth()));
    }

    private CpuStepBackend(RnnModel model, int threads, String reason, TileMath math, long minFlopsPerThread,
            CpuWeights weights) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.model = model;
        this.flopsPerKey = model.flopsPerKeyStep();
        this.minFlopsPerThread = Math.max(1, minFlopsPerThread);
        this.weights = weights;
        this.math = math;
        this.gateSlope = model.gateActivation().hardSlope();
        this.threads = threads;
        this.scratch = new Scratch[threads];
        for (int t = 0; t < threads; t++) {
            scratch[t] = new Scratch(model);
        }
        int poolId = POOL_IDS.incrementAndGet();
        this.workers = new ExecutorService[threads - 1];
        for (int t = 1; t < threads; t++) {
            String name = "flink-rnn-step-" + poolId + "-" + t;
            workers[t - 1] = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, name);
                thread.setDaemon(true);
                return thread;
            });
        }
        this.info = new BackendInfo(BackendKind.JAVA, math.name() + " x" + threads + " threads", reason);
    }

    /**
     * Another backend over the very same laid-out weights, with its own threads and working memory: for
     * comparing thread counts on one layout. Where a weight array starts decides whether 16-float loads split
     * across cache lines (measurably faster when the recurrent panels start on a 64-byte boundary, which the
     * JVM does not let us choose: docs/BENCHMARKS.md), so two separately built backends differ before any
     * thread count is involved. The weights are never written after construction,
     * so sharing them is safe; closing either backend leaves the other working.
     */
    public CpuStepBackend withThreads(int threads) {
        return new CpuStepBackend(model, threads, info.reason(), math, minFlopsPerThread, weights);
    }

    @Override
    public RnnModel model() {
        return model;
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    /** The name of the inner-loop implementation in use ({@code java-vector512} or {@code java-autovec}). */
    public String mathName() {
        return math.name();
    }

    @Override
    public void step(int batch, float[] inputs, float[] states, float[] outputs) {
        if (closed) {
            throw new IllegalStateException("backend is closed");
        }
        StepBackend.checkStepArgs(model, batch, inputs, states, outputs);
        int useful = (int) Math.max(1, Math.min(threads, (long) batch * flopsPerKey / minFlopsPerThread));
        if (useful == 1) {
            range(scratch[0], 0, batch, inputs, states, outputs);
            return;
        }
        // Each thread steps its own range of tiles first, then helps with the others' (TileClaims says why).
        // The caller waits only for claims another thread actually made, never for a thread to wake up: a worker
        // thread that arrives after every tile was taken finds nothing and the step is long finished.
        TileClaims claims = new TileClaims((batch + TileMath.TILE - 1) / TileMath.TILE, useful);
        for (int t = 1; t < useful; t++) {
            Scratch s = scratch[t];
            int home = t;
            workers[t - 1].execute(() -> work(s, claims, home, batch, inputs, states, outputs));
        }
        work(scratch[0], claims, 0, batch, inputs, states, outputs);
        claims.awaitClaimed();
        Throwable failure = claims.failure();
        if (failure != null) {
            throw new BackendFailureException("a step thread failed", failure);
        }
    }

    /**
     * Claims from the home range a chunk at a time, then from the other ranges a tile at a time, so that the
     * threads finish close together.
     */
    private void work(Scratch s, TileClaims claims, int home, int batch, float[] inputs, float[] states,
            float[] outputs) {
        for (int i = 0; i < claims.parts(); i++) {
            int part = (home + i) % claims.parts();
            int count = i == 0 ? CHUNK_TILES : 1;
            while (true) {
                claims.enter();
                try {
                    int first = claims.claim(part, count);
                    if (first < 0) {
                        break;
                    }
                    int last = Math.min(first + count, claims.end(part));
                    range(s, first * TileMath.TILE, Math.min(batch, last * TileMath.TILE), inputs, states, outputs);
                } catch (RuntimeException | Error e) {
                    claims.fail(e);
                    return;
                } finally {
                    claims.leave();
                }
            }
        }
    }

    private void range(Scratch s, int from, int to, float[] inputs, float[] states, float[] outputs) {
        for (int b = from; b < to; b += TileMath.TILE) {
            tile(s, b, Math.min(TileMath.TILE, to - b), inputs, states, outputs);
        }
    }

    private void tile(Scratch s, int b0, int rows, float[] inputs, float[] states, float[] outputs) {
        CpuWeights w = weights;
        int hidden = w.hidden;
        int gw = w.gateWidth;
        int stride = model.stateSize();
        int stOff = b0 * stride;
        float[][] gates = s.gates;
        for (int l = 0; l < w.layers; l++) {
            // This layer's input: the tile's observations, or the h the layer below has just written.
            float[] in = l == 0 ? inputs : states;
            int inOff = l == 0 ? b0 * model.inputSize() : stOff + model.hOffset(l - 1);
            int inStride = l == 0 ? model.inputSize() : stride;
            int hOff = model.hOffset(l);
            // Where input and recurrent products add up, one FMA chain from b_ih + b_hh runs over the input and
            // then continues over h.
            if (model.cell() == CellType.LSTM) {
                math.gemm(rows, in, inOff, inStride, w.wx[l], w.bsum[l], 0, gw, gates);
                math.gemm(rows, states, stOff + hOff, stride, w.wh[l], null, 0, gw, gates);
                math.lstmPointwise(gateSlope, rows, gates, hidden, states, stOff, stride, hOff, model.cOffset(l));
            } else if (model.gruResetMode() == GruResetMode.AFTER_PRODUCT) {
                // r and z fused; the candidate keeps W_hn h + b_hn apart, since r multiplies it.
                math.gemm(rows, in, inOff, inStride, w.wx[l], w.bsum[l], 0, 2 * hidden, gates);
                math.gemm(rows, states, stOff + hOff, stride, w.wh[l], null, 0, 2 * hidden, gates);
                math.gemm(rows, in, inOff, inStride, w.wx[l], w.bx[l], 2 * hidden, gw, gates);
                math.gemm(rows, states, stOff + hOff, stride, w.wh[l], w.bh[l], 2 * hidden, gw, s.hn);
                math.gruPointwise(gateSlope, rows, gates, s.hn, hidden, true, states, stOff, stride, hOff);
            } else {
                // r and z first; the candidate's chain continues over r * h once r is known.
                math.gemm(rows, in, inOff, inStride, w.wx[l], w.bsum[l], 0, gw, gates);
                math.gemm(rows, states, stOff + hOff, stride, w.wh[l], null, 0, 2 * hidden, gates);
                math.gruResetHidden(gateSlope, rows, gates, hidden, states, stOff, stride, hOff, s.resetHidden);
                math.gemm(rows, s.resetHidden, 0, hidden, w.wh[l], null, 2 * hidden, gw, gates);
                math.gruPointwise(gateSlope, rows, gates, null, hidden, false, states, stOff, stride, hOff);
            }
        }
        int n = w.outputSize;
        int top = stOff + model.hOffset(w.layers - 1);
        if (w.headByOutput != null) {
            math.dense(rows, states, top, stride, w.headByOutput, w.headBias, s.head, s.lanes);
        } else {
            math.gemm(rows, states, top, stride, w.head, w.headBias, 0, n, s.head);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(s.head[r], 0, outputs, (b0 + r) * n, n);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ExecutorService w : workers) {
            w.shutdownNow();
        }
    }

    /** One thread's working memory: a tile's products, never shared. */
    private static final class Scratch {
        final float[][] gates;
        /** The reset-after GRU's W_hn h + b_hn (block 2 only). */
        final float[][] hn;
        final float[][] head;
        final float[] resetHidden;
        final float[] lanes = new float[TileMath.LANES];

        Scratch(RnnModel m) {
            int gw = m.cell().gates() * m.hiddenSize();
            gates = new float[TileMath.TILE][gw];
            hn = new float[TileMath.TILE][gw];
            head = new float[TileMath.TILE][m.outputSize()];
            resetHidden = new float[TileMath.TILE * m.hiddenSize()];
        }
    }
}
