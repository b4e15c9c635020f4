package io.flinkrnn.kernels.cpu;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Vector API kernels on throwaway data once per JVM, before the first real step. Until C2 has
 * compiled them, Vector API code runs its Java fallback, which boxes every vector and is two orders of
 * magnitude slower; in a Flink task, C2 is busy compiling Flink itself, so without this the first seconds
 * of a job (and of every restart) step far slower than steady state. Compiled code is shared by every
 * model and backend in the JVM, so once is enough. Uses none of the caller's data: results are unaffected.
 */
final class KernelWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(KernelWarmUp.class);
    /** Long enough for the compile requests to be queued; the compilations then finish in the background. */
    private static final long BUDGET_NANOS = 1_500_000_000L;
    private static boolean done;

    private KernelWarmUp() {
    }

    static synchronized void ensure(TileMath math) {
        if (done || !(math instanceof VectorTileMath)) {
            return;
        }
        done = true;
        long start = System.nanoTime();
        RnnModel[] models = {
            model(CellType.LSTM, GruResetMode.AFTER_PRODUCT), model(CellType.GRU, GruResetMode.AFTER_PRODUCT),
            model(CellType.GRU, GruResetMode.BEFORE_PRODUCT)};
        long calls = 0;
        // Two full tiles and a 5-key tail, so every product path (6 rows over panels, 4 and 1 rows) runs.
        int batch = 2 * TileMath.TILE + 5;
        for (int round = 0; System.nanoTime() - start < BUDGET_NANOS; round++) {
            RnnModel m = models[round % models.length];
            try (CpuStepBackend b = new CpuStepBackend(m, 1, "warm-up", math, Long.MAX_VALUE)) {
                float[] x = new float[batch * m.inputSize()];
                Arrays.fill(x, 0.5f);
                float[] s = new float[batch * m.stateSize()];
                float[] y = new float[batch * m.outputSize()];
                for (int i = 0; i < 200; i++) {
                    b.step(batch, x, s, y);
                    calls++;
                }
            }
        }
        LOG.info("Warmed up the {} kernels with {} calls in {} ms", math.name(), calls,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static RnnModel model(CellType cell, GruResetMode mode) {
        int h = 48;
        int f = 4;
        int g = cell.gates() * h;
        float[] wIh = new float[g * f];
        float[] wHh = new float[g * h];
        Arrays.fill(wIh, 0.01f);
        Arrays.fill(wHh, -0.01f);
        return RnnModel.builder().cell(cell).gruResetMode(mode).inputSize(f).hiddenSize(h).outputSize(2)
                .addLayer(wIh, wHh, new float[g], new float[g]).head(new float[2 * h], new float[2]).build();
    }
}
