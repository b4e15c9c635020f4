package io.flinkrnn.kernels.model;

import java.util.SplittableRandom;

/**
 * Models with PyTorch's default initialisation (every weight and bias uniform in [-k, k], k = 1/sqrt(H)),
 * deterministic for a seed: for benchmarks, demos and tests that need a realistic untrained model.
 */
public final class RandomInit {
    private RandomInit() {
    }

    public static RnnModel model(CellType cell, GruResetMode mode, int inputSize, int hidden, int layers, int outputs,
            long seed) {
        return model(cell, mode, inputSize, hidden, layers, outputs, seed, 1.0);
    }

    /** {@code scale} multiplies PyTorch's bound. */
    public static RnnModel model(CellType cell, GruResetMode mode, int inputSize, int hidden, int layers, int outputs,
            long seed, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double bound = scale / Math.sqrt(hidden);
        int g = cell.gates() * hidden;
        RnnModel.Builder b = RnnModel.builder().cell(cell).gruResetMode(mode).inputSize(inputSize).hiddenSize(hidden)
                .outputSize(outputs);
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? inputSize : hidden;
            b.addLayer(uniform(rnd, g * in, bound), uniform(rnd, g * hidden, bound), uniform(rnd, g, bound),
                    uniform(rnd, g, bound));
        }
        return b.head(uniform(rnd, outputs * hidden, bound), uniform(rnd, outputs, bound)).build();
    }

    public static float[] uniform(SplittableRandom rnd, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
        return a;
    }
}
