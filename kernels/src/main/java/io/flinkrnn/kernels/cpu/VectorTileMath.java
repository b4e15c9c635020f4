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
        for (; r + 8 <= rows; r += 8) {
            gemm8(in, inOff + r * inStride, inStride, k, w, bias, c0, c1, out, r);
        }
        for (; r + 4 <= rows; r += 4) {
            gemm4(in, inOff + r * inStride, inStride, k, w, bias, c0, c1, out[r], out[r + 1], out[r + 2],
                    out[r + 3]);
        }
        for (; r < rows; r++) {
            gemm1(in, inOff + r * inStride, k, w, bias, c0, c1, out[r]);
        }
    }

    /**
     * Eight keys by two vectors: 16 accumulators, two weight vectors and one broadcast stay in the 32 vector
     * registers, and each weight vector loaded from L2 feeds eight FMAs (the 4-key block was bound by L2
     * bandwidth). Columns left over go through the 4-key block.
     */
    private static void gemm8(float[] in, int i0, int st, int k, float[][] w, float[] bias, int c0, int c1,
            float[][] out, int r) {
        float[] o0 = out[r];
        float[] o1 = out[r + 1];
        float[] o2 = out[r + 2];
        float[] o3 = out[r + 3];
        float[] o4 = out[r + 4];
        float[] o5 = out[r + 5];
        float[] o6 = out[r + 6];
        float[] o7 = out[r + 7];
        int j = c0;
        for (; j + 2 * L <= c1; j += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bias, j);
            FloatVector b1 = FloatVector.fromArray(S, bias, j + L);
            FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
            FloatVector a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
            int p = i0;
            for (int kk = 0; kk < k; kk++, p++) {
                float[] wk = w[kk];
                FloatVector w0 = FloatVector.fromArray(S, wk, j);
                FloatVector w1 = FloatVector.fromArray(S, wk, j + L);
                FloatVector x = FloatVector.broadcast(S, in[p]);
                a00 = x.fma(w0, a00);
                a01 = x.fma(w1, a01);
                x = FloatVector.broadcast(S, in[p + st]);
                a10 = x.fma(w0, a10);
                a11 = x.fma(w1, a11);
                x = FloatVector.broadcast(S, in[p + 2 * st]);
                a20 = x.fma(w0, a20);
                a21 = x.fma(w1, a21);
                x = FloatVector.broadcast(S, in[p + 3 * st]);
                a30 = x.fma(w0, a30);
                a31 = x.fma(w1, a31);
                x = FloatVector.broadcast(S, in[p + 4 * st]);
                a40 = x.fma(w0, a40);
                a41 = x.fma(w1, a41);
                x = FloatVector.broadcast(S, in[p + 5 * st]);
                a50 = x.fma(w0, a50);
                a51 = x.fma(w1, a51);
                x = FloatVector.broadcast(S, in[p + 6 * st]);
                a60 = x.fma(w0, a60);
                a61 = x.fma(w1, a61);
                x = FloatVector.broadcast(S, in[p + 7 * st]);
                a70 = x.fma(w0, a70);
                a71 = x.fma(w1, a71);
            }
            a00.intoArray(o0, j);
            a01.intoArray(o0, j + L);
            a10.intoArray(o1, j);
            a11.intoArray(o1, j + L);
            a20.intoArray(o2, j);
            a21.intoArray(o2, j + L);
            a30.intoArray(o3, j);
            a31.intoArray(o3, j + L);
            a40.intoArray(o4, j);
            a41.intoArray(o4, j + L);
            a50.intoArray(o5, j);
            a51.intoArray(o5, j + L);
            a60.intoArray(o6, j);
            a61.intoArray(o6, j + L);
            a70.intoArray(o7, j);
            a71.intoArray(o7, j + L);
        }
        if (j < c1) {
            gemm4(in, i0, st, k, w, bias, j, c1, o0, o1, o2, o3);
            gemm4(in, i0 + 4 * st, st, k, w, bias, j, c1, o4, o5, o6, o7);
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
        for (; j < c1; j++) {
            // Four independent FMA chains side by side: a narrow head (horizon 1) is otherwise one chain of
            // length H per key, bound by FMA latency. Each chain keeps its own order, so the bits do not move.
            float b = bias[j];
            float a0 = b;
            float a1 = b;
            float a2 = b;
            float a3 = b;
            for (int kk = 0; kk < k; kk++) {
                float wv = w[kk][j];
                a0 = Math.fma(in[i0 + kk], wv, a0);
                a1 = Math.fma(in[i1 + kk], wv, a1);
                a2 = Math.fma(in[i2 + kk], wv, a2);
                a3 = Math.fma(in[i3 + kk], wv, a3);
            }
            o0[j] = a0;
            o1[j] = a1;
            o2[j] = a2;
            o3[j] = a3;
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

    /** a[j] = a[j] + b[j] for j in [from, to). */
    private static void addInto(float[] a, float[] b, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            FloatVector.fromArray(S, a, j).add(FloatVector.fromArray(S, b, j)).intoArray(a, j);
        }
        for (; j < to; j++) {
            a[j] = a[j] + b[j];
        }
    }

    private static void sigmoidInPlace(float[] a, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            sigmoid(FloatVector.fromArray(S, a, j)).intoArray(a, j);
        }
        for (; j < to; j++) {
            a[j] = Activations.sigmoid(a[j]);
        }
    }

    private static void tanhInPlace(float[] a, int from, int to) {
        int j = from;
        for (; j + L <= to; j += L) {
            tanh(FloatVector.fromArray(S, a, j)).intoArray(a, j);
        }
        for (; j < to; j++) {
            a[j] = Activations.tanh(a[j]);
        }
    }

    // The pointwise work runs as small single-loop passes, and vector-valued helpers (tanh, sigmoid) are only
    // called from those tiny loops. If C2 declines to inline such a helper it compiles it on its own, where
    // the argument's exact vector class is unknown, the intrinsics fail, and every operation allocates: one
    // loop evaluating five activations ran 20x slower. Each element still sees the same operations.

    @Override
    void lstmPointwise(int rows, float[][] ax, float[][] ah, int hidden, float[] state, int stOff, int stStride,
            int hOff, int cOff) {
        for (int r = 0; r < rows; r++) {
            float[] g = ax[r];
            addInto(g, ah[r], 0, 4 * hidden);
            sigmoidInPlace(g, 0, 2 * hidden);
            tanhInPlace(g, 2 * hidden, 3 * hidden);
            sigmoidInPlace(g, 3 * hidden, 4 * hidden);
            int s = stOff + r * stStride;
            // c' = f * c + i * g, kept in the state and in g's block (g is used up), then h = o * tanh(c').
            int j = 0;
            for (; j + L <= hidden; j += L) {
                FloatVector cn = FloatVector.fromArray(S, g, hidden + j).mul(FloatVector.fromArray(S, state, s + cOff + j))
                        .add(FloatVector.fromArray(S, g, j).mul(FloatVector.fromArray(S, g, 2 * hidden + j)));
                cn.intoArray(state, s + cOff + j);
                cn.intoArray(g, 2 * hidden + j);
            }
            for (; j < hidden; j++) {
                float cn = g[hidden + j] * state[s + cOff + j] + g[j] * g[2 * hidden + j];
                state[s + cOff + j] = cn;
                g[2 * hidden + j] = cn;
            }
            tanhInPlace(g, 2 * hidden, 3 * hidden);
            j = 0;
            for (; j + L <= hidden; j += L) {
                FloatVector.fromArray(S, g, 3 * hidden + j).mul(FloatVector.fromArray(S, g, 2 * hidden + j))
                        .intoArray(state, s + hOff + j);
            }
            for (; j < hidden; j++) {
                state[s + hOff + j] = g[3 * hidden + j] * g[2 * hidden + j];
            }
        }
    }

    @Override
    void gruPointwise(int rows, float[][] ax, float[][] ah, int hidden, boolean resetAfter, float[] state,
            int stOff, int stStride, int hOff) {
        for (int r = 0; r < rows; r++) {
            float[] x = ax[r];
            float[] h = ah[r];
            // x[0, 2H) becomes the gates r and z; x[2H, 3H) becomes the candidate n.
            addInto(x, h, 0, 2 * hidden);
            sigmoidInPlace(x, 0, 2 * hidden);
            int j = 0;
            if (resetAfter) {
                for (; j + L <= hidden; j += L) {
                    FloatVector.fromArray(S, x, 2 * hidden + j)
                            .add(FloatVector.fromArray(S, x, j).mul(FloatVector.fromArray(S, h, 2 * hidden + j)))
                            .intoArray(x, 2 * hidden + j);
                }
                for (; j < hidden; j++) {
                    x[2 * hidden + j] = x[2 * hidden + j] + x[j] * h[2 * hidden + j];
                }
            } else {
                addInto(x, h, 2 * hidden, 3 * hidden);
            }
            tanhInPlace(x, 2 * hidden, 3 * hidden);
            int s = stOff + r * stStride + hOff;
            j = 0;
            for (; j + L <= hidden; j += L) {
                FloatVector n = FloatVector.fromArray(S, x, 2 * hidden + j);
                FloatVector hOld = FloatVector.fromArray(S, state, s + j);
                n.add(FloatVector.fromArray(S, x, hidden + j).mul(hOld.sub(n))).intoArray(state, s + j);
            }
            for (; j < hidden; j++) {
                float n = x[2 * hidden + j];
                state[s + j] = n + x[hidden + j] * (state[s + j] - n);
            }
        }
    }
}
