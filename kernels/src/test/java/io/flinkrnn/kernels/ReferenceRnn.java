package io.flinkrnn.kernels;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.LayerWeights;
import io.flinkrnn.kernels.model.RnnModel;

/**
 * A straightforward double-precision implementation of one key's step, written from the PyTorch
 * formulas with Math.tanh/Math.exp, independent of every backend's layout, for bounding float error.
 */
public final class ReferenceRnn {
    private final RnnModel m;
    /** [stateSize] in the kernels' layout, in double. */
    public final double[] state;

    public ReferenceRnn(RnnModel m) {
        this.m = m;
        this.state = new double[m.stateSize()];
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** The gates' activation: logistic, or Keras's hard sigmoid as Keras writes it (in double). */
    double gate(double v) {
        switch (m.gateActivation()) {
            case HARD_SIGMOID:
                return Math.min(1, Math.max(0, 0.2 * v + 0.5));
            case HARD_SIGMOID_KERAS3:
                return Math.min(6, Math.max(0, v + 3)) / 6;
            default:
                return sigmoid(v);
        }
    }

    /** Advances one step and returns the head outputs. */
    public double[] step(float[] x, int xOff) {
        int h = m.hiddenSize();
        double[] in = new double[m.inputSize()];
        for (int k = 0; k < in.length; k++) {
            in[k] = x[xOff + k];
        }
        for (int l = 0; l < m.layerCount(); l++) {
            LayerWeights w = m.layer(l);
            int g = m.cell().gates();
            double[] gx = new double[g * h];
            double[] gh = new double[g * h];
            double[] hOld = new double[h];
            System.arraycopy(state, m.hOffset(l), hOld, 0, h);
            for (int row = 0; row < g * h; row++) {
                double a = w.biasIh(row);
                for (int k = 0; k < in.length; k++) {
                    a += w.weightIh(row, k) * in[k];
                }
                gx[row] = a;
                double c = w.biasHh(row);
                for (int k = 0; k < h; k++) {
                    c += w.weightHh(row, k, h) * hOld[k];
                }
                gh[row] = c;
            }
            double[] hNew = new double[h];
            if (m.cell() == CellType.LSTM) {
                for (int j = 0; j < h; j++) {
                    double i = gate(gx[j] + gh[j]);
                    double f = gate(gx[h + j] + gh[h + j]);
                    double gg = Math.tanh(gx[2 * h + j] + gh[2 * h + j]);
                    double o = gate(gx[3 * h + j] + gh[3 * h + j]);
                    double c = f * state[m.cOffset(l) + j] + i * gg;
                    state[m.cOffset(l) + j] = c;
                    hNew[j] = o * Math.tanh(c);
                }
            } else {
                double[] r = new double[h];
                for (int j = 0; j < h; j++) {
                    r[j] = gate(gx[j] + gh[j]);
                }
                for (int j = 0; j < h; j++) {
                    double z = gate(gx[h + j] + gh[h + j]);
                    double n;
                    if (m.gruResetMode() == GruResetMode.AFTER_PRODUCT) {
                        n = Math.tanh(gx[2 * h + j] + r[j] * gh[2 * h + j]);
                    } else {
                        double a = w.biasHh(2 * h + j);
                        for (int k = 0; k < h; k++) {
                            a += w.weightHh(2 * h + j, k, h) * r[k] * hOld[k];
                        }
                        n = Math.tanh(gx[2 * h + j] + a);
                    }
                    hNew[j] = (1 - z) * n + z * hOld[j];
                }
            }
            System.arraycopy(hNew, 0, state, m.hOffset(l), h);
            in = hNew;
        }
        double[] out = new double[m.outputSize()];
        for (int n = 0; n < out.length; n++) {
            double a = m.headBias(n);
            for (int k = 0; k < h; k++) {
                a += m.headWeight(n, k) * in[k];
            }
            out[n] = a;
        }
        return out;
    }
}
