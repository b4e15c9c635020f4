package io.flinkrnn.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked path (incubating Vector API, loaded by {@link VectorSupport} only when the module is
 * present). The product keeps a 4-key by 2-vector block of accumulators in registers across the whole input
 * loop, so each weight vector loaded serves four keys and no accumulator goes back to memory until the end:
 * about 3x the auto-vectorised axpy, which reloads and stores its accumulators for every input.
 *
 * <p>Bits: each output element still starts at its bias and takes one fused multiply-add per input in input
 * order; the activations use the same correctly rounded operations, in the same order, as {@link
 * Activations}. Tails that do not fill a vector fall back to the scalar formulas. So this class and
 * {@link ScalarTileMath} agree bit for bit.
 */
final class VectorTileMath extends TileMath {
    // Species must be static final constants for C2 to intrinsify the vector operations.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    String name() {
        return "java-vector" + S.vectorBitSize();
    }

    @Override
    void gemm(int rows, float[] in, int inOff, int inStride, int k, float[][] w, float[] bias, int c0, int c1,
            float[][] out) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            gemm4(in, inOff + r * inStride, inStride, k, w, bias, c0, c1, out[r], out[r + 1], out[r + 2],
                    out[r + 3]);
        }
        for (; r < rows; r++) {
            gemm1(in, inOff + r * inStride, k, w, bias, c0, c1, out[r]);
        }
    }

    private static void gemm4(float[] in, int i0, int st, int k, float[][] w, float[] bias, int c0, int c1,
            float[] o0, float[] o1, float[] o2, float[] o3) {
        int i1 = i0 + st;
        int i2 = i1 + st;
        int i3 = i2 + st;
        int j = c0;
        for (; j + 2 * L <= c1; j += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bias, j);
            FloatVector b1 = FloatVector.fromArray(S, bias, j + L);
            FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
            for (int kk = 0; kk < k; kk++) {
                float[] wk = w[kk];
                FloatVector w0 = FloatVector.fromArray(S, wk, j);
                FloatVector w1 = FloatVector.fromArray(S, wk, j + L);
                FloatVector x = FloatVector.broadcast(S, in[i0 + kk]);
                a00 = x.fma(w0, a00);
                a01 = x.fma(w1, a01);
                x = FloatVector.broadcast(S, in[i1 + kk]);
                a10 = x.fma(w0, a10);
                a11 = x.fma(w1, a11);
                x = FloatVector.broadcast(S, in[i2 + kk]);
                a20 = x.fma(w0, a20);
                a21 = x.fma(w1, a21);
                x = FloatVector.broadcast(S, in[i3 + kk]);
                a30 = x.fma(w0, a30);
                a31 = x.fma(w1, a31);
            }
            a00.intoArray(o0, j);
            a01.intoArray(o0, j + L);
            a10.intoArray(o1, j);
            a11.intoArray(o1, j + L);
            a20.intoArray(o2, j);
            a21.intoArray(o2, j + L);
            a30.intoArray(o3, j);
            a31.intoArray(o3, j + L);
        }
        for (; j + L <= c1; j += L) {
            FloatVector b0 = FloatVector.fromArray(S, bias, j);
            FloatVector a0 = b0, a1 = b0, a2 = b0, a3 = b0;
            for (int kk = 0; kk < k; kk++) {
                FloatVector w0 = FloatVector.fromArray(S, w[kk], j);
                a0 = FloatVector.broadcast(S, in[i0 + kk]).fma(w0, a0);
                a1 = FloatVector.broadcast(S, in[i1 + kk]).fma(w0, a1);
                a2 = FloatVector.broadcast(S, in[i2 + kk]).fma(w0, a2);
                a3 = FloatVector.broadcast(S, in[i3 + kk]).fma(w0, a3);
            }
            a0.intoArray(o0, j);
            a1.intoArray(o1, j);
            a2.intoArray(o2, j);
            a3.intoArray(o3, j);
        }
        if (j < c1) {
            scalarColumns(in, i0, k, w, bias, j, c1, o0);
            scalarColumns(in, i1, k, w, bias, j, c1, o1);
            scalarColumns(in, i2, k, w, bias, j, c1, o2);
            scalarColumns(in, i3, k, w, bias, j, c1, o3);
        }
    }

    private static void gemm1(float[] in, int i0, int k, float[][] w, float[] bias, int c0, int c1, float[] o) {
        int j = c0;
        for (; j + L <= c1; j += L) {
            FloatVector a = FloatVector.fromArray(S, bias, j);
            for (int kk = 0; kk < k; kk++) {
                a = FloatVector.broadcast(S, in[i0 + kk]).fma(FloatVector.fromArray(S, w[kk], j), a);
            }
            a.intoArray(o, j);
        }
        scalarColumns(in, i0, k, w, bias, j, c1, o);
    }

    private static void scalarColumns(float[] in, int i0, int k, float[][] w, float[] bias, int from, int to,
            float[] o) {
        for (int j = from; j < to; j++) {
            float a = bias[j];
            for (int kk = 0; kk < k; kk++) {
                a = Math.fma(in[i0 + kk], w[kk][j], a);
            }
            o[j] = a;
        }
    }

    private static FloatVector tanh(FloatVector x) {
        FloatVector c = x.max(-Activations.CLAMP).min(Activations.CLAMP);
        FloatVector x2 = c.mul(c);
        FloatVector p = x2.mul(Activations.P4).add(Activations.P3).mul(x2).add(Activations.P2).mul(x2)
                .add(Activations.P1).mul(x2).add(Activations.P0);
        FloatVector q = x2.mul(Activations.Q4).add(Activations.Q3).mul(x2).add(Activations.Q2).mul(x2)
                .add(Activations.Q1).mul(x2).add(1f);
        return c.mul(p).div(q);
    }

    private static FloatVector sigmoid(FloatVector x) {
        return tanh(x.mul(0.5f)).mul(0.5f).add(0.5f);
    }

    @Override
    void lstmPointwise(int rows, float[][] ax, float[][] ah, int hidden, float[] state, int stOff, int stStride,
            int hOff, int cOff) {
        for (int r = 0; r < rows; r++) {
            float[] x = ax[r];
            float[] h = ah[r];
            int s = stOff + r * stStride;
            int j = 0;
            for (; j + L <= hidden; j += L) {
                FloatVector i = sigmoid(FloatVector.fromArray(S, x, j).add(FloatVector.fromArray(S, h, j)));
                FloatVector f = sigmoid(FloatVector.fromArray(S, x, hidden + j)
                        .add(FloatVector.fromArray(S, h, hidden + j)));
                FloatVector g = tanh(FloatVector.fromArray(S, x, 2 * hidden + j)
                        .add(FloatVector.fromArray(S, h, 2 * hidden + j)));
                FloatVector o = sigmoid(FloatVector.fromArray(S, x, 3 * hidden + j)
                        .add(FloatVector.fromArray(S, h, 3 * hidden + j)));
                FloatVector cn = f.mul(FloatVector.fromArray(S, state, s + cOff + j)).add(i.mul(g));
                cn.intoArray(state, s + cOff + j);
                o.mul(tanh(cn)).intoArray(state, s + hOff + j);
            }
            ScalarTileMath.lstmRow(x, h, hidden, state, s, hOff, cOff, j);
        }
    }

    @Override
    void gruPointwise(int rows, float[][] ax, float[][] ah, int hidden, boolean resetAfter, float[] state,
            int stOff, int stStride, int hOff) {
        for (int r = 0; r < rows; r++) {
            float[] x = ax[r];
            float[] h = ah[r];
            int s = stOff + r * stStride + hOff;
            int j = 0;
            for (; j + L <= hidden; j += L) {
                FloatVector xn = FloatVector.fromArray(S, x, 2 * hidden + j);
                FloatVector hn = FloatVector.fromArray(S, h, 2 * hidden + j);
                FloatVector n;
                if (resetAfter) {
                    FloatVector reset = sigmoid(FloatVector.fromArray(S, x, j).add(FloatVector.fromArray(S, h, j)));
                    n = tanh(xn.add(reset.mul(hn)));
                } else {
                    n = tanh(xn.add(hn));
                }
                FloatVector z = sigmoid(FloatVector.fromArray(S, x, hidden + j)
                        .add(FloatVector.fromArray(S, h, hidden + j)));
                FloatVector hOld = FloatVector.fromArray(S, state, s + j);
                n.add(z.mul(hOld.sub(n))).intoArray(state, s + j);
            }
            ScalarTileMath.gruRow(x, h, hidden, resetAfter, state, s, j);
        }
    }
}
