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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Java backend. A batch is cut into tiles of {@link TileMath#TILE} keys; threads (the caller's among
 * them) claim chunks of tiles from a shared counter, and each tile goes through every layer and the head
 * before the next starts, so a tile's states stay in L1 while the weights stream from L2. Keys never
 * interact, so neither the split nor the tiling changes a key's bits.
 */
public final class CpuStepBackend implements StepBackend {
    /**
     * Work a thread must get for handing it over to pay: waking a pool thread costs tens of microseconds on
     * a busy machine, about what 2 MFLOP take, so each thread gets at least 8 MFLOP (measured: LSTM B=64
     * H=64 is 2.4 MFLOP a step and ran 2x slower on two threads than on one).
     */
    private static final long MIN_FLOPS_PER_THREAD = 8_000_000L;
    /** Tiles a thread claims at a time: small enough to balance, large enough to keep the counter cold. */
    private static final int CHUNK_TILES = 4;
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final RnnModel model;
    private final long flopsPerKey;
    private final long minFlopsPerThread;
    private final CpuWeights weights;
    private final TileMath math;
    private final int threads;
    private final Scratch[] scratch;
    private final ExecutorService pool;
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
        this.threads = threads;
        this.scratch = new Scratch[threads];
        for (int t = 0; t < threads; t++) {
            scratch[t] = new Scratch(model);
        }
        int poolId = POOL_IDS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "flink-rnn-step-" + poolId + "-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.info = new BackendInfo(BackendKind.JAVA, math.name() + " x" + threads + " threads", reason);
    }

    /**
     * Another backend over the very same laid-out weights, with its own threads and working memory: for
     * comparing thread counts on one layout. Where a weight array starts decides whether 16-float loads split
     * across cache lines (measured at (1024, 16, 128): about 8 % faster when the recurrent panels start on a
     * 64-byte boundary, which the JVM does not let us choose), so two separately built backends differ by up
     * to that much before any thread count is involved. The weights are never written after construction,
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
        // Threads claim chunks of tiles from a shared counter rather than fixed halves: on a busy or
        // oversubscribed machine a thread that was descheduled simply claims fewer chunks. The caller then
        // waits only for chunks that another thread actually claimed, never for a thread to wake up: a pool
        // thread that arrives after the last chunk was taken finds nothing and the step is long finished.
        Claims claims = new Claims(batch);
        for (int t = 1; t < useful; t++) {
            Scratch s = scratch[t];
            pool.execute(() -> claimChunks(s, claims, inputs, states, outputs));
        }
        claimChunks(scratch[0], claims, inputs, states, outputs);
        claims.awaitClaimedChunks();
        Throwable failure = claims.failure.get();
        if (failure != null) {
            throw new BackendFailureException("a step thread failed", failure);
        }
    }

    private void claimChunks(Scratch s, Claims claims, float[] inputs, float[] states, float[] outputs) {
        int chunk = CHUNK_TILES * TileMath.TILE;
        while (true) {
            // In flight before claiming: once the caller has seen every chunk taken, any chunk still being
            // worked on is counted here.
            claims.inFlight.incrementAndGet();
            try {
                int from = claims.next.getAndAdd(chunk);
                if (from >= claims.batch) {
                    return;
                }
                range(s, from, Math.min(claims.batch, from + chunk), inputs, states, outputs);
            } catch (RuntimeException | Error e) {
                claims.failure.compareAndSet(null, e);
                return;
            } finally {
                claims.inFlight.decrementAndGet();
            }
        }
    }

    /** The shared counters of one step call. */
    private static final class Claims {
        final int batch;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Claims(int batch) {
            this.batch = batch;
        }

        /** Called after the caller's own claim found nothing left: at most one chunk per thread remains. */
        void awaitClaimedChunks() {
            int spins = 0;
            while (inFlight.get() != 0) {
                if (++spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
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
                math.lstmPointwise(rows, gates, hidden, states, stOff, stride, hOff, model.cOffset(l));
            } else if (model.gruResetMode() == GruResetMode.AFTER_PRODUCT) {
                // r and z fused; the candidate keeps W_hn h + b_hn apart, since r multiplies it.
                math.gemm(rows, in, inOff, inStride, w.wx[l], w.bsum[l], 0, 2 * hidden, gates);
                math.gemm(rows, states, stOff + hOff, stride, w.wh[l], null, 0, 2 * hidden, gates);
                math.gemm(rows, in, inOff, inStride, w.wx[l], w.bx[l], 2 * hidden, gw, gates);
                math.gemm(rows, states, stOff + hOff, stride, w.wh[l], w.bh[l], 2 * hidden, gw, s.hn);
                math.gruPointwise(rows, gates, s.hn, hidden, true, states, stOff, stride, hOff);
            } else {
                // r and z first; the candidate's chain continues over r * h once r is known.
                math.gemm(rows, in, inOff, inStride, w.wx[l], w.bsum[l], 0, gw, gates);
                math.gemm(rows, states, stOff + hOff, stride, w.wh[l], null, 0, 2 * hidden, gates);
                math.gruResetHidden(rows, gates, hidden, states, stOff, stride, hOff, s.resetHidden);
                math.gemm(rows, s.resetHidden, 0, hidden, w.wh[l], null, 2 * hidden, gw, gates);
                math.gruPointwise(rows, gates, null, hidden, false, states, stOff, stride, hOff);
            }
        }
        int n = w.horizon;
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
        if (pool != null) {
            pool.shutdownNow();
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
            head = new float[TileMath.TILE][m.horizon()];
            resetHidden = new float[TileMath.TILE * m.hiddenSize()];
        }
    }
}
