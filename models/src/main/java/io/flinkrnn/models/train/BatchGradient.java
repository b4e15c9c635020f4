package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.CellType;
import java.util.Arrays;

/**
 * Backpropagation through time over a shard of windows at once, in float32: the forward pass keeps every
 * layer's h, c, tanh(c) and gate activations for all rows of the shard, and every gate product is a
 * matrix-matrix product over the shard's rows ({@link BatchMath#gemm}); the backward pass adds
 * d(sum of squared errors)/d(parameters) into a float32 gradient, added at the end into the caller's double
 * shard buffer. The cells are {@link WindowGradient}'s (PyTorch's); windows shorter than the longest of the
 * shard run on with zero inputs and no targets, which adds exactly nothing to the gradient. One instance per
 * worker thread; buffers are reused.
 */
final class BatchGradient {
    private final ParameterLayout lay;
    private final BatchMath math;
    private final int rowCap;
    private final int stepCap;
    private final int h;
    private final int gh;
    private final int n0;
    private final int o;
    private final boolean lstm;
    private final float[] x;
    private final float[] y;
    private final float[][] hs;
    private final float[][] cs;
    private final float[][] tc;
    private final float[][] act;
    private final float[][] hn;
    private final float[] ah;
    private final float[] out;
    private final float[] dy;
    private final float[][] daRec;
    private final float[] dh;
    private final float[] dx;
    private final float[][] dhRec;
    private final float[][] dcRec;
    private final float[] grad;
    private final float[] colSums;
    private final TrainingLoss loss;
    private int rows;
    private int steps;

    BatchGradient(ParameterLayout lay, int rows, int steps, BatchMath math, TrainingLoss loss) {
        this.lay = lay;
        this.math = math;
        this.loss = loss;
        this.rowCap = rows;
        this.stepCap = steps;
        this.h = lay.hidden;
        this.gh = lay.gates * lay.hidden;
        this.n0 = lay.inputSize;
        this.o = lay.outputs;
        this.lstm = lay.cell == CellType.LSTM;
        int layers = lay.layers;
        x = new float[steps * rows * n0];
        y = new float[steps * rows * o];
        hs = new float[layers][(steps + 1) * rows * h];
        cs = lstm ? new float[layers][(steps + 1) * rows * h] : null;
        tc = lstm ? new float[layers][steps * rows * h] : null;
        act = new float[layers][steps * rows * gh];
        hn = lstm ? null : new float[layers][steps * rows * h];
        ah = new float[rows * gh];
        out = new float[steps * rows * o];
        dy = new float[steps * rows * o];
        daRec = lstm ? null : new float[layers][steps * rows * gh];
        dh = new float[rows * h];
        dx = new float[rows * h];
        dhRec = new float[layers][rows * h];
        dcRec = new float[layers][rows * h];
        grad = new float[lay.size()];
        colSums = new float[Math.max(gh, o)];
    }

    /** Starts a shard of {@code rows} windows, the longest {@code steps} rows long. */
    void start(int rows, int steps) {
        if (rows > rowCap || steps > stepCap) {
            throw new IllegalArgumentException(rows + " windows of " + steps + " steps exceed this workspace's "
                    + rowCap + " of " + stepCap);
        }
        this.rows = rows;
        this.steps = steps;
        Arrays.fill(x, 0, steps * rows * n0, 0f);
        Arrays.fill(y, 0, steps * rows * o, Float.NaN);
    }

    /**
     * Window {@code r} of the shard: {@code windowSteps} rows of inputs [steps][inputSize] and targets
     * [steps][outputs] (NaN where absent), and the state it starts from (h of every layer, then c for LSTM).
     */
    void window(int r, int windowSteps, double[] xs, double[] ys, double[] state) {
        for (int t = 0; t < windowSteps; t++) {
            for (int i = 0; i < n0; i++) {
                x[(t * rows + r) * n0 + i] = (float) xs[t * n0 + i];
            }
            for (int k = 0; ys != null && k < o; k++) {
                y[(t * rows + r) * o + k] = (float) ys[t * o + k];
            }
        }
        for (int l = 0; l < lay.layers; l++) {
            for (int j = 0; j < h; j++) {
                hs[l][r * h + j] = (float) state[l * h + j];
                if (lstm) {
                    cs[l][r * h + j] = (float) state[(lay.layers + l) * h + j];
                }
            }
        }
    }

    /**
     * Forward and backward over the shard; adds the gradient of its summed loss into {@code g}.
     *
     * @param sums {@code sums[0] +=} squared error, {@code sums[1] +=} number of target terms
     */
    void run(BatchParameters p, double[] g, double[] sums) {
        forward(p);
        double sse = 0;
        int terms = 0;
        for (int i = 0; i < steps * rows * o; i++) {
            if (!Float.isNaN(y[i])) {
                float e = out[i] - y[i];
                sse += (double) e * e;
                terms++;
            }
        }
        sums[0] += sse;
        sums[1] += terms;
        if (terms > 0) {
            backward(p);
            for (int i = 0; i < grad.length; i++) {
                g[i] += grad[i];
            }
        }
    }

    /**
     * Forward only over {@code steps} rows of one series from {@code state}; the state after the last row goes
     * into {@code endState} (same layout). The trainer's pass that finds each window's start state.
     */
    void advance(int steps, double[] xs, double[] state, BatchParameters p, double[] endState) {
        start(1, steps);
        window(0, steps, xs, null, state);
        forward(p);
        for (int l = 0; l < lay.layers; l++) {
            for (int j = 0; j < h; j++) {
                endState[l * h + j] = hs[l][steps * h + j];
                if (lstm) {
                    endState[(lay.layers + l) * h + j] = cs[l][steps * h + j];
                }
            }
        }
    }

    /** The head's outputs of the last run, [steps][rows][outputs]. */
    float[] outputs() {
        return out;
    }

    private void forward(BatchParameters bp) {
        float[] p = bp.p;
        int top = lay.layers - 1;
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < lay.layers; l++) {
                float[] in = l == 0 ? x : hs[l - 1];
                int inAt = l == 0 ? t * rows * n0 : (t + 1) * rows * h;
                int n = lay.layerInput(l);
                int aAt = t * rows * gh;
                float[] a = act[l];
                int bi = lay.bIh(l);
                int bh = lay.bHh(l);
                int prev = t * rows * h;
                int next = (t + 1) * rows * h;
                if (lstm) {
                    for (int r = 0; r < rows; r++) {
                        for (int q = 0; q < gh; q++) {
                            a[aAt + r * gh + q] = p[bi + q] + p[bh + q];
                        }
                    }
                    math.gemm(rows, gh, n, in, inAt, n, 1, bp.wIhT[l], 0, gh, a, aAt, gh);
                    math.gemm(rows, gh, h, hs[l], prev, h, 1, bp.wHhT[l], 0, gh, a, aAt, gh);
                    for (int r = 0; r < rows; r++) {
                        int row = aAt + r * gh;
                        math.sigmoid(a, row, row + 2 * h);
                        math.tanh(a, row + 2 * h, row + 3 * h);
                        math.sigmoid(a, row + 3 * h, row + 4 * h);
                        for (int j = 0; j < h; j++) {
                            cs[l][next + r * h + j] = Math.fma(a[row + h + j], cs[l][prev + r * h + j],
                                    a[row + j] * a[row + 2 * h + j]);
                        }
                    }
                    System.arraycopy(cs[l], next, tc[l], prev, rows * h);
                    math.tanh(tc[l], prev, prev + rows * h);
                    for (int r = 0; r < rows; r++) {
                        int row = aAt + r * gh;
                        for (int j = 0; j < h; j++) {
                            hs[l][next + r * h + j] = a[row + 3 * h + j] * tc[l][prev + r * h + j];
                        }
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(p, bi, a, aAt + r * gh, gh);
                        System.arraycopy(p, bh, ah, r * gh, gh);
                    }
                    math.gemm(rows, gh, n, in, inAt, n, 1, bp.wIhT[l], 0, gh, a, aAt, gh);
                    math.gemm(rows, gh, h, hs[l], prev, h, 1, bp.wHhT[l], 0, gh, ah, 0, gh);
                    for (int r = 0; r < rows; r++) {
                        int row = aAt + r * gh;
                        for (int q = 0; q < 2 * h; q++) {
                            a[row + q] += ah[r * gh + q];
                        }
                        math.sigmoid(a, row, row + 2 * h);
                        for (int j = 0; j < h; j++) {
                            float hnj = ah[r * gh + 2 * h + j];
                            hn[l][prev + r * h + j] = hnj;
                            a[row + 2 * h + j] = Math.fma(a[row + j], hnj, a[row + 2 * h + j]);
                        }
                        math.tanh(a, row + 2 * h, row + 3 * h);
                        for (int j = 0; j < h; j++) {
                            float nj = a[row + 2 * h + j];
                            hs[l][next + r * h + j] = Math.fma(a[row + h + j], hs[l][prev + r * h + j] - nj, nj);
                        }
                    }
                }
            }
            int outAt = t * rows * o;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(p, lay.headB, out, outAt + r * o, o);
            }
            math.gemm(rows, o, h, hs[top], (t + 1) * rows * h, h, 1, bp.headWT, 0, o, out, outAt, o);
        }
    }

    /**
     * Backward through time. The per-step work is what the recurrence needs: the deltas, and dL/dh of the step
     * before (and of the layer below). The weight gradients need no recurrence, so each is one product over all
     * steps and windows at the end: the deltas overwrite the gate activations they came from (read first), and
     * dW = sum over steps and windows of delta x input, with K = steps x windows.
     */
    private void backward(BatchParameters bp) {
        float[] p = bp.p;
        int top = lay.layers - 1;
        Arrays.fill(grad, 0f);
        for (int l = 0; l < lay.layers; l++) {
            Arrays.fill(dhRec[l], 0, rows * h, 0f);
            Arrays.fill(dcRec[l], 0, rows * h, 0f);
        }
        for (int t = steps - 1; t >= 0; t--) {
            int outAt = t * rows * o;
            for (int i = 0; i < rows * o; i++) {
                float target = y[outAt + i];
                dy[outAt + i] = Float.isNaN(target) ? 0f : loss.gradient(out[outAt + i] - target);
            }
            Arrays.fill(dh, 0, rows * h, 0f);
            math.gemm(rows, h, o, dy, outAt, o, 1, p, lay.headW, h, dh, 0, h);
            for (int l = top; l >= 0; l--) {
                for (int i = 0; i < rows * h; i++) {
                    dh[i] += dhRec[l][i];
                }
                int dAt = t * rows * gh;
                if (lstm) {
                    lstmDeltas(l, t);
                } else {
                    gruDeltas(l, t);
                }
                float[] dRec = lstm ? act[l] : daRec[l];
                if (l > 0) {
                    int n = lay.layerInput(l);
                    Arrays.fill(dx, 0, rows * n, 0f);
                    math.gemm(rows, n, gh, act[l], dAt, gh, 1, p, lay.wIh(l), n, dx, 0, n);
                }
                if (lstm) {
                    Arrays.fill(dhRec[l], 0, rows * h, 0f);
                }
                math.gemm(rows, h, gh, dRec, dAt, gh, 1, p, lay.wHh(l), h, dhRec[l], 0, h);
                if (l > 0) {
                    System.arraycopy(dx, 0, dh, 0, rows * h);
                }
            }
        }
        int all = steps * rows;
        sumColumns(dy, all, o, lay.headB);
        math.gemm(o, h, all, dy, 0, 1, o, hs[top], rows * h, h, grad, lay.headW, h);
        for (int l = 0; l < lay.layers; l++) {
            int n = lay.layerInput(l);
            float[] dRec = lstm ? act[l] : daRec[l];
            sumColumns(act[l], all, gh, lay.bIh(l));
            sumColumns(dRec, all, gh, lay.bHh(l));
            math.gemm(gh, n, all, act[l], 0, 1, gh, l == 0 ? x : hs[l - 1], l == 0 ? 0 : rows * h, n, grad,
                    lay.wIh(l), n);
            math.gemm(gh, h, all, dRec, 0, 1, gh, hs[l], 0, h, grad, lay.wHh(l), h);
        }
    }

    /** {@code grad[at + q] += sum over rows i of d[i*width + q]}, rows in order (walked row by row). */
    private void sumColumns(float[] d, int count, int width, int at) {
        Arrays.fill(colSums, 0, width, 0f);
        for (int i = 0; i < count; i++) {
            int row = i * width;
            for (int q = 0; q < width; q++) {
                colSums[q] += d[row + q];
            }
        }
        for (int q = 0; q < width; q++) {
            grad[at + q] += colSums[q];
        }
    }

    /** From dh (total dL/dh_t) and dcRec: the gate deltas in place of the gates, dL/dc_{t-1} into dcRec. */
    private void lstmDeltas(int l, int t) {
        float[] a = act[l];
        int aAt = t * rows * gh;
        int at = t * rows * h;
        float[] dc = dcRec[l];
        for (int r = 0; r < rows; r++) {
            int row = aAt + r * gh;
            for (int j = 0; j < h; j++) {
                float i = a[row + j];
                float f = a[row + h + j];
                float g = a[row + 2 * h + j];
                float og = a[row + 3 * h + j];
                float tcv = tc[l][at + r * h + j];
                float dhv = dh[r * h + j];
                float dcj = Math.fma(dhv * og, 1f - tcv * tcv, dc[r * h + j]);
                a[row + j] = dcj * g * i * (1f - i);
                a[row + h + j] = dcj * cs[l][at + r * h + j] * f * (1f - f);
                a[row + 2 * h + j] = dcj * i * (1f - g * g);
                a[row + 3 * h + j] = dhv * tcv * og * (1f - og);
                dc[r * h + j] = dcj * f;
            }
        }
    }

    /**
     * From dh: the input-side deltas in place of the gates, the recurrent-side into daRec, the direct z-path
     * into dhRec.
     */
    private void gruDeltas(int l, int t) {
        float[] a = act[l];
        int aAt = t * rows * gh;
        int at = t * rows * h;
        for (int r = 0; r < rows; r++) {
            int row = aAt + r * gh;
            for (int j = 0; j < h; j++) {
                float rg = a[row + j];
                float z = a[row + h + j];
                float nj = a[row + 2 * h + j];
                float dhv = dh[r * h + j];
                float dan = dhv * (1f - z) * (1f - nj * nj);
                float dar = dan * hn[l][at + r * h + j] * rg * (1f - rg);
                float daz = dhv * (hs[l][at + r * h + j] - nj) * z * (1f - z);
                a[row + j] = dar;
                a[row + h + j] = daz;
                a[row + 2 * h + j] = dan;
                daRec[l][row + j] = dar;
                daRec[l][row + h + j] = daz;
                daRec[l][row + 2 * h + j] = dan * rg;
                dhRec[l][r * h + j] = dhv * z;
            }
        }
    }
}
