package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.CellType;

/**
 * Backpropagation through time over one window of one series, in double precision: a forward pass that
 * keeps every layer's h, c and gate activations, the squared error of the head's outputs against the
 * targets that exist, and a backward pass that adds d(sum of squared errors)/d(parameters) into a gradient
 * array laid out like the parameters. One instance per worker thread; buffers are reused between windows.
 *
 * <p>The cells are PyTorch's: LSTM gates i, f, g, o; GRU gates r, z, n with the reset applied after the
 * recurrent product. Inputs and targets are already normalised; a NaN target is a missing one (past the
 * end of the split) and adds nothing.
 */
final class WindowGradient {
    private final ParameterLayout lay;
    private final int capacity;
    private int steps;
    private final int h;
    private final int g;
    private final double[][] hs;
    private final double[][] cs;
    private final double[][] act;
    private final double[][] hn;
    private final double[] out;
    private final double[] dy;
    private final double[] dhAbove;
    private final double[] dx;
    private final double[][] dhRec;
    private final double[][] dcRec;
    private final double[] da;
    private final double[] daH;
    private final TrainMath math;
    private final TrainingLoss loss;

    WindowGradient(ParameterLayout layout, int steps, TrainingLoss loss) {
        this(layout, steps, TrainMath.best(), loss);
    }

    WindowGradient(ParameterLayout layout, int steps, TrainMath math, TrainingLoss loss) {
        this.lay = layout;
        this.loss = loss;
        this.capacity = steps;
        this.h = layout.hidden;
        this.g = layout.gates;
        hs = new double[layout.layers][(steps + 1) * h];
        cs = new double[layout.layers][(steps + 1) * h];
        act = new double[layout.layers][steps * g * h];
        hn = new double[layout.layers][steps * h];
        out = new double[steps * layout.outputs];
        dy = new double[layout.outputs];
        dhAbove = new double[h];
        dx = new double[Math.max(h, layout.inputSize)];
        dhRec = new double[layout.layers][h];
        dcRec = new double[layout.layers][h];
        da = new double[g * h];
        daH = new double[g * h];
        this.math = math;
    }

    /**
     * Forward and backward over {@code steps} rows (at most the capacity given at construction).
     *
     * @param x inputs, [steps][inputSize]
     * @param y targets, [steps][outputs], NaN where absent
     * @param state initial state: h of every layer, then (LSTM) c of every layer
     * @param p parameters
     * @param grad receives the gradient of the window's summed loss (added, not overwritten);
     *     null for a forward pass only
     * @param sums {@code sums[0] +=} squared error, {@code sums[1] +=} number of target terms
     */
    void run(int steps, double[] x, double[] y, double[] state, double[] p, double[] grad, double[] sums) {
        if (steps > capacity) {
            throw new IllegalArgumentException(steps + " steps exceed this workspace's " + capacity);
        }
        this.steps = steps;
        forward(x, state, p);
        double sse = 0;
        int terms = 0;
        int o = lay.outputs;
        for (int i = 0; i < steps * o; i++) {
            if (!Double.isNaN(y[i])) {
                double e = out[i] - y[i];
                sse += e * e;
                terms++;
            }
        }
        sums[0] += sse;
        sums[1] += terms;
        if (grad != null && terms > 0) {
            backward(x, y, p, grad);
        }
    }

    /** Forward only, then copies the state after the last step into {@code endState}. */
    void advance(int steps, double[] x, double[] state, double[] p, double[] endState) {
        if (steps > capacity) {
            throw new IllegalArgumentException(steps + " steps exceed this workspace's " + capacity);
        }
        this.steps = steps;
        forward(x, state, p);
        for (int l = 0; l < lay.layers; l++) {
            System.arraycopy(hs[l], steps * h, endState, l * h, h);
            if (lay.cell == CellType.LSTM) {
                System.arraycopy(cs[l], steps * h, endState, (lay.layers + l) * h, h);
            }
        }
    }

    /** The head's outputs of the last {@link #run}, [steps][outputs]. */
    double[] outputs() {
        return out;
    }

    private void forward(double[] x, double[] state, double[] p) {
        int layers = lay.layers;
        for (int l = 0; l < layers; l++) {
            System.arraycopy(state, l * h, hs[l], 0, h);
            if (lay.cell == CellType.LSTM) {
                System.arraycopy(state, (layers + l) * h, cs[l], 0, h);
            }
        }
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                double[] in = l == 0 ? x : hs[l - 1];
                int inAt = l == 0 ? t * lay.inputSize : (t + 1) * h;
                if (lay.cell == CellType.LSTM) {
                    lstmForward(l, t, in, inAt, p);
                } else {
                    gruForward(l, t, in, inAt, p);
                }
            }
            double[] top = hs[layers - 1];
            int topAt = (t + 1) * h;
            for (int k = 0; k < lay.outputs; k++) {
                out[t * lay.outputs + k] = p[lay.headB + k] + math.dot(p, lay.headW + k * h, top, topAt, h);
            }
        }
    }

    private void lstmForward(int l, int t, double[] in, int inAt, double[] p) {
        int n = lay.layerInput(l);
        int wi = lay.wIh(l);
        int wh = lay.wHh(l);
        int bi = lay.bIh(l);
        int bh = lay.bHh(l);
        double[] a = act[l];
        int aAt = t * g * h;
        for (int r = 0; r < g * h; r++) {
            a[aAt + r] = p[bi + r] + p[bh + r] + math.dot(p, wi + r * n, in, inAt, n)
                    + math.dot(p, wh + r * h, hs[l], t * h, h);
        }
        double[] c = cs[l];
        for (int j = 0; j < h; j++) {
            double i = sigmoid(a[aAt + j]);
            double f = sigmoid(a[aAt + h + j]);
            double gg = Math.tanh(a[aAt + 2 * h + j]);
            double o = sigmoid(a[aAt + 3 * h + j]);
            a[aAt + j] = i;
            a[aAt + h + j] = f;
            a[aAt + 2 * h + j] = gg;
            a[aAt + 3 * h + j] = o;
            double cNew = f * c[t * h + j] + i * gg;
            c[(t + 1) * h + j] = cNew;
            hs[l][(t + 1) * h + j] = o * Math.tanh(cNew);
        }
    }

    private void gruForward(int l, int t, double[] in, int inAt, double[] p) {
        int n = lay.layerInput(l);
        int wi = lay.wIh(l);
        int wh = lay.wHh(l);
        int bi = lay.bIh(l);
        int bh = lay.bHh(l);
        double[] a = act[l];
        int aAt = t * g * h;
        double[] hPrev = hs[l];
        int hAt = t * h;
        for (int r = 0; r < 2 * h; r++) {
            a[aAt + r] = sigmoid(p[bi + r] + p[bh + r] + math.dot(p, wi + r * n, in, inAt, n)
                    + math.dot(p, wh + r * h, hPrev, hAt, h));
        }
        for (int j = 0; j < h; j++) {
            int r = 2 * h + j;
            double hnj = p[bh + r] + math.dot(p, wh + r * h, hPrev, hAt, h);
            hn[l][t * h + j] = hnj;
            double nj = Math.tanh(p[bi + r] + math.dot(p, wi + r * n, in, inAt, n) + a[aAt + j] * hnj);
            a[aAt + r] = nj;
            double z = a[aAt + h + j];
            hs[l][(t + 1) * h + j] = (1 - z) * nj + z * hPrev[hAt + j];
        }
    }

    private void backward(double[] x, double[] y, double[] p, double[] grad) {
        int layers = lay.layers;
        int o = lay.outputs;
        for (int l = 0; l < layers; l++) {
            java.util.Arrays.fill(dhRec[l], 0);
            java.util.Arrays.fill(dcRec[l], 0);
        }
        for (int t = steps - 1; t >= 0; t--) {
            double[] top = hs[layers - 1];
            int topAt = (t + 1) * h;
            java.util.Arrays.fill(dhAbove, 0);
            for (int k = 0; k < o; k++) {
                double target = y[t * o + k];
                double d = Double.isNaN(target) ? 0 : loss.gradient(out[t * o + k] - target);
                dy[k] = d;
                if (d != 0) {
                    grad[lay.headB + k] += d;
                    math.axpy(d, top, topAt, grad, lay.headW + k * h, h);
                    math.axpy(d, p, lay.headW + k * h, dhAbove, 0, h);
                }
            }
            for (int l = layers - 1; l >= 0; l--) {
                for (int j = 0; j < h; j++) {
                    dhAbove[j] += dhRec[l][j];
                }
                double[] in = l == 0 ? x : hs[l - 1];
                int inAt = l == 0 ? t * lay.inputSize : (t + 1) * h;
                if (lay.cell == CellType.LSTM) {
                    lstmBackward(l, t, in, inAt, p, grad);
                } else {
                    gruBackward(l, t, in, inAt, p, grad);
                }
                if (l > 0) {
                    System.arraycopy(dx, 0, dhAbove, 0, h);
                }
            }
        }
    }

    /** Uses dhAbove (total dL/dh_t) and dcRec; leaves dL/dx_t in dx and dL/d(h,c)_{t-1} in dhRec/dcRec. */
    private void lstmBackward(int l, int t, double[] in, int inAt, double[] p, double[] grad) {
        int n = lay.layerInput(l);
        double[] a = act[l];
        int aAt = t * g * h;
        double[] c = cs[l];
        double[] dc = dcRec[l];
        for (int j = 0; j < h; j++) {
            double i = a[aAt + j];
            double f = a[aAt + h + j];
            double gg = a[aAt + 2 * h + j];
            double o = a[aAt + 3 * h + j];
            double tc = Math.tanh(c[(t + 1) * h + j]);
            double dh = dhAbove[j];
            double dcj = dc[j] + dh * o * (1 - tc * tc);
            da[j] = dcj * gg * i * (1 - i);
            da[h + j] = dcj * c[t * h + j] * f * (1 - f);
            da[2 * h + j] = dcj * i * (1 - gg * gg);
            da[3 * h + j] = dh * tc * o * (1 - o);
            dc[j] = dcj * f;
        }
        accumulate(l, in, inAt, hs[l], t * h, da, da, p, grad, n);
    }

    private void gruBackward(int l, int t, double[] in, int inAt, double[] p, double[] grad) {
        int n = lay.layerInput(l);
        double[] a = act[l];
        int aAt = t * g * h;
        double[] hPrev = hs[l];
        int hAt = t * h;
        double[] dhPrev = dhRec[l];
        for (int j = 0; j < h; j++) {
            double r = a[aAt + j];
            double z = a[aAt + h + j];
            double nj = a[aAt + 2 * h + j];
            double dh = dhAbove[j];
            double dn = dh * (1 - z);
            double dz = dh * (hPrev[hAt + j] - nj);
            double dan = dn * (1 - nj * nj);
            double dar = dan * hn[l][t * h + j] * r * (1 - r);
            double daz = dz * z * (1 - z);
            da[j] = dar;
            da[h + j] = daz;
            da[2 * h + j] = dan;
            daH[j] = dar;
            daH[h + j] = daz;
            daH[2 * h + j] = dan * r;
            dhPrev[j] = dh * z;
        }
        accumulate(l, in, inAt, hPrev, hAt, da, daH, p, grad, n);
    }

    /**
     * Adds the weight and bias gradients of one layer-step, given dL/d(input pre-activations) {@code dIn} and
     * dL/d(recurrent pre-activations) {@code dRec}; writes dL/dx into {@link #dx} and adds dL/dh_{t-1} into
     * {@link #dhRec} (the LSTM passes zeros there first; the GRU its direct z-path term).
     */
    private void accumulate(int l, double[] in, int inAt, double[] hPrev, int hAt, double[] dIn, double[] dRec,
            double[] p, double[] grad, int n) {
        int wi = lay.wIh(l);
        int wh = lay.wHh(l);
        int bi = lay.bIh(l);
        int bh = lay.bHh(l);
        java.util.Arrays.fill(dx, 0, n, 0);
        double[] dhPrev = dhRec[l];
        if (lay.cell == CellType.LSTM) {
            java.util.Arrays.fill(dhPrev, 0);
        }
        for (int r = 0; r < g * h; r++) {
            double di = dIn[r];
            double dr = dRec[r];
            grad[bi + r] += di;
            grad[bh + r] += dr;
            math.axpy(di, in, inAt, grad, wi + r * n, n);
            math.axpy(di, p, wi + r * n, dx, 0, n);
            math.axpy(dr, hPrev, hAt, grad, wh + r * h, h);
            math.axpy(dr, p, wh + r * h, dhPrev, 0, h);
        }
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
