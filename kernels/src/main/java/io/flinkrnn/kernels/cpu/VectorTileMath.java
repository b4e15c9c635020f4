package io.flinkrnn.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked path (incubating Vector API, loaded by {@link VectorSupport} only when the module is
 * present). The product keeps a block of accumulators in registers across the whole input loop (six keys
 * by four vectors over a weight panel on AVX-512, four keys by two vectors elsewhere), so each weight vector
 * loaded serves several keys and no accumulator goes back to memory until the end, where an auto-vectorised
 * axpy reloads and stores its accumulators for every input (the measured gain is in docs/BENCHMARKS.md).
 *
 * <p>Bits: each output element still continues its chain with one fused multiply-add per input in input
 * order; the pointwise passes ({@link VectorPointwise}) use the same correctly rounded operations, in the
 * same order, as {@link Activations}. Tails that do not fill a vector fall back to the scalar formulas. So
 * this class and {@link ScalarTileMath} agree bit for bit.
 */
final class VectorTileMath extends TileMath {
    // Species must be static final constants for C2 to intrinsify the vector operations.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int PANEL_VECTORS = 4;
    private static final int PANEL_ROWS = 6;
    /** Pointwise passes for hard-sigmoid gates (Keras models); the same operations, so the same bits. */
    private static final ScalarTileMath SCALAR = new ScalarTileMath();

    @Override
    String name() {
        return "java-vector" + S.vectorBitSize();
    }

    @Override
    int panelWidth() {
        // Six rows by four vectors is 24 accumulators, four weight vectors and a broadcast: it fits AVX-512's
        // 32 registers and not AVX2's 16, where the 4-row path over weight rows runs instead.
        return S.vectorBitSize() >= 512 ? PANEL_VECTORS * L : 0;
    }

    @Override
    void accumulate(int rows, float[] in, int inOff, int inStride, WeightMatrix w, int c0, int c1,
            float[][] out) {
        int done = 0;
        int pw = w.panelWidth;
        if (pw > 0 && rows >= PANEL_ROWS) {
            // Full panels inside [c0, c1) for every block of six rows; the columns around them, and rows left
            // over, go through the row path. Panel outermost: a panel's weights (32 KB at H = 128) stay in L1
            // for the tile's second block of rows.
            int p0 = Math.min(c1, (c0 + pw - 1) / pw * pw);
            int p1 = Math.max(p0, Math.min(c1, w.panelCols) / pw * pw);
            if (p1 > p0) {
                done = rows / PANEL_ROWS * PANEL_ROWS;
                for (int j = p0; j < p1; j += pw) {
                    for (int r = 0; r < done; r += PANEL_ROWS) {
                        panel6(in, inOff + r * inStride, inStride, w, j, out, r);
                    }
                }
                rowPath(done, in, inOff, inStride, w, c0, p0, out, 0);
                rowPath(done, in, inOff, inStride, w, p1, c1, out, 0);
            }
        }
        rowPath(rows - done, in, inOff + done * inStride, inStride, w, c0, c1, out, done);
    }

    private void rowPath(int rows, float[] in, int inOff, int inStride, WeightMatrix w, int c0, int c1,
            float[][] out, int r0) {
        if (c1 <= c0) {
            return;
        }
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            gemm4(in, inOff + r * inStride, inStride, w.inputs, w.rows, c0, c1, out[r0 + r], out[r0 + r + 1],
                    out[r0 + r + 2], out[r0 + r + 3]);
        }
        for (; r < rows; r++) {
            gemm1(in, inOff + r * inStride, w.inputs, w.rows, c0, c1, out[r0 + r]);
        }
    }

    /**
     * Six rows by one panel (four vectors): 24 accumulators, four weight vectors and one broadcast stay in
     * AVX-512's 32 registers across the whole input loop; each weight vector feeds six FMAs and each
     * broadcast four, and the panel's weights are read as one contiguous run. Written out in full: C2 declines
     * to inline small vector helpers into a method this large, and a vector passed to a call that is not
     * inlined is boxed (an order of magnitude slower).
     */
    private static void panel6(float[] in, int i0, int st, WeightMatrix w, int j, float[][] out, int r) {
        float[] wp = w.panels;
        int k = w.inputs;
        float[] o0 = out[r];
        float[] o1 = out[r + 1];
        float[] o2 = out[r + 2];
        float[] o3 = out[r + 3];
        float[] o4 = out[r + 4];
        float[] o5 = out[r + 5];
        FloatVector a00 = FloatVector.fromArray(S, o0, j), a01 = FloatVector.fromArray(S, o0, j + L), a02 = FloatVector.fromArray(S, o0, j + 2 * L), a03 = FloatVector.fromArray(S, o0, j + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, o1, j), a11 = FloatVector.fromArray(S, o1, j + L), a12 = FloatVector.fromArray(S, o1, j + 2 * L), a13 = FloatVector.fromArray(S, o1, j + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, o2, j), a21 = FloatVector.fromArray(S, o2, j + L), a22 = FloatVector.fromArray(S, o2, j + 2 * L), a23 = FloatVector.fromArray(S, o2, j + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, o3, j), a31 = FloatVector.fromArray(S, o3, j + L), a32 = FloatVector.fromArray(S, o3, j + 2 * L), a33 = FloatVector.fromArray(S, o3, j + 3 * L);
        FloatVector a40 = FloatVector.fromArray(S, o4, j), a41 = FloatVector.fromArray(S, o4, j + L), a42 = FloatVector.fromArray(S, o4, j + 2 * L), a43 = FloatVector.fromArray(S, o4, j + 3 * L);
        FloatVector a50 = FloatVector.fromArray(S, o5, j), a51 = FloatVector.fromArray(S, o5, j + L), a52 = FloatVector.fromArray(S, o5, j + 2 * L), a53 = FloatVector.fromArray(S, o5, j + 3 * L);
        int q = w.panelStart(j);
        int p = i0;
        for (int kk = 0; kk < k; kk++, p++, q += PANEL_VECTORS * L) {
            FloatVector w0 = FloatVector.fromArray(S, wp, q);
            FloatVector w1 = FloatVector.fromArray(S, wp, q + L);
            FloatVector w2 = FloatVector.fromArray(S, wp, q + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, wp, q + 3 * L);
            FloatVector x = FloatVector.broadcast(S, in[p]);
            a00 = x.fma(w0, a00);
            a01 = x.fma(w1, a01);
            a02 = x.fma(w2, a02);
            a03 = x.fma(w3, a03);
            x = FloatVector.broadcast(S, in[p + st]);
            a10 = x.fma(w0, a10);
            a11 = x.fma(w1, a11);
            a12 = x.fma(w2, a12);
            a13 = x.fma(w3, a13);
            x = FloatVector.broadcast(S, in[p + 2 * st]);
            a20 = x.fma(w0, a20);
            a21 = x.fma(w1, a21);
            a22 = x.fma(w2, a22);
            a23 = x.fma(w3, a23);
            x = FloatVector.broadcast(S, in[p + 3 * st]);
            a30 = x.fma(w0, a30);
            a31 = x.fma(w1, a31);
            a32 = x.fma(w2, a32);
            a33 = x.fma(w3, a33);
            x = FloatVector.broadcast(S, in[p + 4 * st]);
            a40 = x.fma(w0, a40);
            a41 = x.fma(w1, a41);
            a42 = x.fma(w2, a42);
            a43 = x.fma(w3, a43);
            x = FloatVector.broadcast(S, in[p + 5 * st]);
            a50 = x.fma(w0, a50);
            a51 = x.fma(w1, a51);
            a52 = x.fma(w2, a52);
            a53 = x.fma(w3, a53);
        }
        a00.intoArray(o0, j);
        a01.intoArray(o0, j + L);
        a02.intoArray(o0, j + 2 * L);
        a03.intoArray(o0, j + 3 * L);
        a10.intoArray(o1, j);
        a11.intoArray(o1, j + L);
        a12.intoArray(o1, j + 2 * L);
        a13.intoArray(o1, j + 3 * L);
        a20.intoArray(o2, j);
        a21.intoArray(o2, j + L);
        a22.intoArray(o2, j + 2 * L);
        a23.intoArray(o2, j + 3 * L);
        a30.intoArray(o3, j);
        a31.intoArray(o3, j + L);
        a32.intoArray(o3, j + 2 * L);
        a33.intoArray(o3, j + 3 * L);
        a40.intoArray(o4, j);
        a41.intoArray(o4, j + L);
        a42.intoArray(o4, j + 2 * L);
        a43.intoArray(o4, j + 3 * L);
        a50.intoArray(o5, j);
        a51.intoArray(o5, j + L);
        a52.intoArray(o5, j + 2 * L);
        a53.intoArray(o5, j + 3 * L);
    }

    /** Four rows over weight rows: columns two vectors, then one vector, then one at a time. */
    private static void gemm4(float[] in, int i0, int st, int k, float[][] w, int c0, int c1,
            float[] o0, float[] o1, float[] o2, float[] o3) {
        int i1 = i0 + st;
        int i2 = i1 + st;
        int i3 = i2 + st;
        int j = c0;
        for (; j + 2 * L <= c1; j += 2 * L) {
            FloatVector a00 = FloatVector.fromArray(S, o0, j), a01 = FloatVector.fromArray(S, o0, j + L), a10 = FloatVector.fromArray(S, o1, j), a11 = FloatVector.fromArray(S, o1, j + L);
            FloatVector a20 = FloatVector.fromArray(S, o2, j), a21 = FloatVector.fromArray(S, o2, j + L), a30 = FloatVector.fromArray(S, o3, j), a31 = FloatVector.fromArray(S, o3, j + L);
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
            FloatVector a0 = FloatVector.fromArray(S, o0, j), a1 = FloatVector.fromArray(S, o1, j), a2 = FloatVector.fromArray(S, o2, j), a3 = FloatVector.fromArray(S, o3, j);
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
            // Four independent FMA chains side by side: a narrow head (one output) is otherwise one chain of
            // length H per key, bound by FMA latency. Each chain keeps its own order, so the bits do not move.
            float a0 = o0[j];
            float a1 = o1[j];
            float a2 = o2[j];
            float a3 = o3[j];
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

    /**
     * One row: four vectors of outputs at a time, so that four chains of FMAs overlap where one waited on the last
     * (a single key's step, as in SQL, was latency-bound); each output still sums its inputs in the same order, so
     * its bits are those of every other path.
     */
    private static void gemm1(float[] in, int i0, int k, float[][] w, int c0, int c1, float[] o) {
        int j = c0;
        for (; j + 4 * L <= c1; j += 4 * L) {
            FloatVector a0 = FloatVector.fromArray(S, o, j);
            FloatVector a1 = FloatVector.fromArray(S, o, j + L);
            FloatVector a2 = FloatVector.fromArray(S, o, j + 2 * L);
            FloatVector a3 = FloatVector.fromArray(S, o, j + 3 * L);
            for (int kk = 0; kk < k; kk++) {
                FloatVector x = FloatVector.broadcast(S, in[i0 + kk]);
                float[] wk = w[kk];
                a0 = x.fma(FloatVector.fromArray(S, wk, j), a0);
                a1 = x.fma(FloatVector.fromArray(S, wk, j + L), a1);
                a2 = x.fma(FloatVector.fromArray(S, wk, j + 2 * L), a2);
                a3 = x.fma(FloatVector.fromArray(S, wk, j + 3 * L), a3);
            }
            a0.intoArray(o, j);
            a1.intoArray(o, j + L);
            a2.intoArray(o, j + 2 * L);
            a3.intoArray(o, j + 3 * L);
        }
        for (; j + L <= c1; j += L) {
            FloatVector a = FloatVector.fromArray(S, o, j);
            for (int kk = 0; kk < k; kk++) {
                a = FloatVector.broadcast(S, in[i0 + kk]).fma(FloatVector.fromArray(S, w[kk], j), a);
            }
            a.intoArray(o, j);
        }
        for (; j < c1; j++) {
            float a = o[j];
            for (int kk = 0; kk < k; kk++) {
                a = Math.fma(in[i0 + kk], w[kk][j], a);
            }
            o[j] = a;
        }
    }

    @Override
    void dotLanes(float[] a, int aOff, float[] w, int n, float[] lanes) {
        // One vector of 16 lanes (AVX-512) or two of 8 (AVX2) hold the 16 partial sums; other widths, and the
        // k past the last full block, take the scalar loop's order exactly.
        int full = n / LANES * LANES;
        if (L == LANES) {
            FloatVector acc = FloatVector.zero(S);
            for (int k = 0; k < full; k += LANES) {
                acc = FloatVector.fromArray(S, a, aOff + k).fma(FloatVector.fromArray(S, w, k), acc);
            }
            acc.intoArray(lanes, 0);
        } else if (2 * L == LANES) {
            FloatVector lo = FloatVector.zero(S);
            FloatVector hi = FloatVector.zero(S);
            for (int k = 0; k < full; k += LANES) {
                lo = FloatVector.fromArray(S, a, aOff + k).fma(FloatVector.fromArray(S, w, k), lo);
                hi = FloatVector.fromArray(S, a, aOff + k + L).fma(FloatVector.fromArray(S, w, k + L), hi);
            }
            lo.intoArray(lanes, 0);
            hi.intoArray(lanes, L);
        } else {
            super.dotLanes(a, aOff, w, n, lanes);
            return;
        }
        for (int k = full; k < n; k++) {
            lanes[k - full] = Math.fma(a[aOff + k], w[k], lanes[k - full]);
        }
    }

    @Override
    void lstmPointwise(float gateSlope, int rows, float[][] gates, int hidden, float[] state, int stOff,
            int stStride, int hOff, int cOff) {
        if (gateSlope != 0f) {
            // Keras's hard sigmoid: the plain-Java pointwise pass (same bits), so the vector one stays as C2 inlines it.
            SCALAR.lstmPointwise(gateSlope, rows, gates, hidden, state, stOff, stStride, hOff, cOff);
            return;
        }
        VectorPointwise.lstm(rows, gates, hidden, state, stOff, stStride, hOff, cOff);
    }

    @Override
    void gruPointwise(float gateSlope, int rows, float[][] gates, float[][] hn, int hidden, boolean resetAfter,
            float[] state, int stOff, int stStride, int hOff) {
        if (gateSlope != 0f) {
            SCALAR.gruPointwise(gateSlope, rows, gates, hn, hidden, resetAfter, state, stOff, stStride, hOff);
            return;
        }
        VectorPointwise.gru(rows, gates, hn, hidden, resetAfter, state, stOff, stStride, hOff);
    }
}
