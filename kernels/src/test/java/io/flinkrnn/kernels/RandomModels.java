package io.flinkrnn.kernels;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.SplittableRandom;

/** Test models (PyTorch's default init, see {@link RandomInit}) and Gaussian inputs. */
public final class RandomModels {
    private RandomModels() {
    }

    public static RnnModel model(CellType cell, GruResetMode mode, int inputSize, int hidden, int layers,
            int horizon, long seed) {
        return RandomInit.model(cell, mode, inputSize, hidden, layers, horizon, seed);
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
