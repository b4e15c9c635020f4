package io.flinkrnn.kernels;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.SplittableRandom;

/** Models and inputs drawn like PyTorch's default init: weights uniform in [-1/sqrt(H), 1/sqrt(H)]. */
public final class RandomModels {
    private RandomModels() {
    }

    public static RnnModel model(CellType cell, GruResetMode mode, int inputSize, int hidden, int layers,
            int horizon, long seed) {
        return model(cell, mode, inputSize, hidden, layers, horizon, seed, 1.0);
    }

    /** {@code scale} multiplies the init bound (1.0 = PyTorch's default). */
    public static RnnModel model(CellType cell, GruResetMode mode, int inputSize, int hidden, int layers,
            int horizon, long seed, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double bound = scale / Math.sqrt(hidden);
        int g = cell.gates() * hidden;
        RnnModel.Builder b = RnnModel.builder().cell(cell).gruResetMode(mode).inputSize(inputSize)
                .hiddenSize(hidden).horizon(horizon);
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? inputSize : hidden;
            b.addLayer(uniform(rnd, g * in, bound), uniform(rnd, g * hidden, bound), uniform(rnd, g, bound),
                    uniform(rnd, g, bound));
        }
        return b.head(uniform(rnd, horizon * hidden, bound), uniform(rnd, horizon, bound)).build();
    }

    public static float[] uniform(SplittableRandom rnd, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
        return a;
    }

    public static float[] gaussian(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u = Math.max(rnd.nextDouble(), 1e-300);
            double v = rnd.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u));
            a[i] = (float) (r * Math.cos(2 * Math.PI * v));
            if (i + 1 < n) {
                a[i + 1] = (float) (r * Math.sin(2 * Math.PI * v));
            }
        }
        return a;
    }
}
