package io.flinkrnn.kernels;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GateActivation;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.SplittableRandom;

/** Test models (PyTorch's default init, see {@link RandomInit}) and Gaussian inputs. */
public final class RandomModels {
    private RandomModels() {
    }

    public static RnnModel model(CellType cell, GruResetMode mode, int inputSize, int hidden, int layers,
            int outputs, long seed) {
        return RandomInit.model(cell, mode, inputSize, hidden, layers, outputs, seed);
    }

    /** The same model with another gate activation. */
    public static RnnModel withGates(RnnModel m, GateActivation gates) {
        RnnModel.Builder b = RnnModel.builder().cell(m.cell()).gruResetMode(m.gruResetMode()).gateActivation(gates)
                .inputSize(m.inputSize()).hiddenSize(m.hiddenSize()).outputSize(m.outputSize())
                .normalization(m.normalization());
        for (int l = 0; l < m.layerCount(); l++) {
            b.addLayer(m.layer(l).weightIhCopy(), m.layer(l).weightHhCopy(), m.layer(l).biasIhCopy(),
                    m.layer(l).biasHhCopy());
        }
        return b.head(m.headWeightCopy(), m.headBiasCopy()).build();
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
