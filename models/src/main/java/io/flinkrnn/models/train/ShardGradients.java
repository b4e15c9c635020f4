package io.flinkrnn.models.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One mini-batch's gradient: the batch is cut into shards of a fixed number of windows, the shards run in
 * parallel, each into its own gradient buffer, and the buffers are summed in shard order, so the same seed
 * gives the same bits at any thread count. In float32 ({@link BatchGradient}) a shard's windows go through
 * matrix-matrix products together; in float64 ({@link WindowGradient}, the reference) one window at a time.
 */
final class ShardGradients implements AutoCloseable {
    /** A window's rows: inputs [steps][inputs], targets [steps][outputs] (NaN absent), the state it starts from. */
    interface Windows {
        int steps(int i);

        double[] inputs(int i);

        double[] targets(int i);

        double[] start(int i);
    }

    /** Windows per shard in float64: fixed, so the summation order never depends on the thread count. */
    static final int DOUBLE_SHARD = 4;
    /** Windows per shard in float32: the rows of each matrix product. */
    static final int FLOAT_SHARD = 16;

    private final boolean float32;
    private final int shard;
    private final double[][] shardGrads;
    private final double[][] shardSums;
    private final BlockingQueue<WindowGradient> doubles;
    private final BlockingQueue<BatchGradient> floats;
    private final BatchParameters params;
    private final ExecutorService pool;

    ShardGradients(ParameterLayout layout, int window, int batch, int threads, TrainingConfig.Precision precision,
            TrainingLoss loss) {
        this.float32 = precision == TrainingConfig.Precision.FLOAT32;
        this.shard = float32 ? FLOAT_SHARD : DOUBLE_SHARD;
        int shards = (batch + shard - 1) / shard;
        shardGrads = new double[shards][layout.size()];
        shardSums = new double[shards][2];
        doubles = new ArrayBlockingQueue<>(threads);
        floats = new ArrayBlockingQueue<>(threads);
        for (int i = 0; i < threads; i++) {
            if (float32) {
                floats.add(new BatchGradient(layout, shard, window, BatchMath.best(), loss));
            } else {
                doubles.add(new WindowGradient(layout, window, loss));
            }
        }
        params = float32 ? new BatchParameters(layout) : null;
        if (float32) {
            BatchMath.warmUp();
        }
        pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "flink-rnn-trainer");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * The gradient of windows [from, to) with parameters {@code p} into {@code grad} (overwritten); returns
     * {squared error, target terms}.
     */
    double[] batch(Windows w, int from, int to, double[] p, double[] grad) {
        int shards = (to - from + shard - 1) / shard;
        BatchParameters bp = float32 ? params.load(p) : null;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            int first = from + s * shard;
            int last = Math.min(to, first + shard);
            double[] g = shardGrads[s];
            double[] sums = shardSums[s];
            tasks.add(() -> {
                Arrays.fill(g, 0);
                Arrays.fill(sums, 0);
                if (float32) {
                    floatShard(w, first, last, bp, g, sums);
                } else {
                    doubleShard(w, first, last, p, g, sums);
                }
                return null;
            });
        }
        runAll(tasks);
        Arrays.fill(grad, 0);
        double sse = 0;
        double terms = 0;
        for (int s = 0; s < shards; s++) {
            double[] g = shardGrads[s];
            for (int i = 0; i < grad.length; i++) {
                grad[i] += g[i];
            }
            sse += shardSums[s][0];
            terms += shardSums[s][1];
        }
        return new double[] {sse, terms};
    }

    private void floatShard(Windows w, int first, int last, BatchParameters bp, double[] g, double[] sums)
            throws InterruptedException {
        BatchGradient b = floats.take();
        try {
            int steps = 0;
            for (int i = first; i < last; i++) {
                steps = Math.max(steps, w.steps(i));
            }
            b.start(last - first, steps);
            for (int i = first; i < last; i++) {
                b.window(i - first, w.steps(i), w.inputs(i), w.targets(i), w.start(i));
            }
            b.run(bp, g, sums);
        } finally {
            floats.add(b);
        }
    }

    private void doubleShard(Windows w, int first, int last, double[] p, double[] g, double[] sums)
            throws InterruptedException {
        WindowGradient d = doubles.take();
        try {
            for (int i = first; i < last; i++) {
                d.run(w.steps(i), w.inputs(i), w.targets(i), w.start(i), p, g, sums);
            }
        } finally {
            doubles.add(d);
        }
    }

    private void runAll(List<Callable<Void>> tasks) {
        try {
            if (pool == null) {
                for (Callable<Void> t : tasks) {
                    t.call();
                }
                return;
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a training worker failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("training failed: " + e, e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
