package io.flinkrnn.models.train;

import io.flinkrnn.kernels.cpu.VectorActivations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchMath} on the incubating Vector API: {@code gemm} keeps a 4-row by 2-vector block of C in
 * registers and, for each k in order, broadcasts four A values and fuses them with two vectors of B's row k;
 * narrower and shorter edges take one vector, then single lanes, each element still one fused multiply-add per
 * k in order, k taken {@value #K_CHUNK} at a time. Loaded only when the module is present (see VectorSupport).
 */
final class VectorBatchMath extends BatchMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The narrow kernel's column buffer: an instance belongs to one worker thread. */
    private float[] column = new float[0];

    /**
     * Rows of B (terms per output) taken at a time: a long product (the weight gradients sum over every step and
     * window) would otherwise stream all of B through the cache once per block of C. Splitting k keeps each
     * output's terms in order, so the bits are the same.
     */
    private static final int K_CHUNK = 64;

    @Override
    void gemm(int mCount, int nCount, int kCount, float[] a, int aAt, int am, int ak, float[] b, int bAt, int ldb,
            float[] c, int cAt, int ldc) {
        if (nCount < L && am == 1 && mCount >= 4 * L) {
            // Few columns, A contiguous in m (the input weights' gradient of a one-feature model): run along m.
            narrow(mCount, nCount, kCount, a, aAt, ak, b, bAt, ldb, c, cAt, ldc);
            return;
        }
        for (int k0 = 0; k0 < kCount; k0 += K_CHUNK) {
            int kc = Math.min(K_CHUNK, kCount - k0);
            gemmChunk(mCount, nCount, kc, a, aAt + k0 * ak, am, ak, b, bAt + k0 * ldb, ldb, c, cAt, ldc);
        }
    }

    private static void gemmChunk(int mCount, int nCount, int kCount, float[] a, int aAt, int am, int ak, float[] b,
            int bAt, int ldb, float[] c, int cAt, int ldc) {
        int m = 0;
        for (; m + 4 <= mCount; m += 4) {
            int j = 0;
            for (; j + 2 * L <= nCount; j += 2 * L) {
                block4x2(m, j, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
            }
            for (; j + L <= nCount; j += L) {
                for (int r = m; r < m + 4; r++) {
                    row1(r, j, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
                }
            }
            gemmElements(m, m + 4, j, nCount, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
        }
        for (; m < mCount; m++) {
            int j = 0;
            for (; j + L <= nCount; j += L) {
                row1(m, j, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
            }
            gemmElements(m, m + 1, j, nCount, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
        }
    }

    /**
     * For each column j: the column of C gathered into a buffer, then for each k in order the broadcast B[k][j]
     * fused with four vectors of A's contiguous k-th row, then scattered back; each element is still its own
     * chain of fused multiply-adds in k order.
     */
    private void narrow(int mCount, int nCount, int kCount, float[] a, int aAt, int ak, float[] b, int bAt, int ldb,
            float[] c, int cAt, int ldc) {
        if (column.length < mCount) {
            column = new float[mCount];
        }
        float[] col = column;
        for (int j = 0; j < nCount; j++) {
            for (int m = 0; m < mCount; m++) {
                col[m] = c[cAt + m * ldc + j];
            }
            int m = 0;
            for (; m + 4 * L <= mCount; m += 4 * L) {
                FloatVector x0 = FloatVector.fromArray(S, col, m);
                FloatVector x1 = FloatVector.fromArray(S, col, m + L);
                FloatVector x2 = FloatVector.fromArray(S, col, m + 2 * L);
                FloatVector x3 = FloatVector.fromArray(S, col, m + 3 * L);
                for (int k = 0; k < kCount; k++) {
                    FloatVector v = FloatVector.broadcast(S, b[bAt + k * ldb + j]);
                    int ar = aAt + k * ak + m;
                    x0 = FloatVector.fromArray(S, a, ar).fma(v, x0);
                    x1 = FloatVector.fromArray(S, a, ar + L).fma(v, x1);
                    x2 = FloatVector.fromArray(S, a, ar + 2 * L).fma(v, x2);
                    x3 = FloatVector.fromArray(S, a, ar + 3 * L).fma(v, x3);
                }
                x0.intoArray(col, m);
                x1.intoArray(col, m + L);
                x2.intoArray(col, m + 2 * L);
                x3.intoArray(col, m + 3 * L);
            }
            for (; m < mCount; m++) {
                float acc = col[m];
                for (int k = 0; k < kCount; k++) {
                    acc = Math.fma(a[aAt + k * ak + m], b[bAt + k * ldb + j], acc);
                }
                col[m] = acc;
            }
            for (m = 0; m < mCount; m++) {
                c[cAt + m * ldc + j] = col[m];
            }
        }
    }

    private static void block4x2(int m, int j, int kCount, float[] a, int aAt, int am, int ak, float[] b, int bAt,
            int ldb, float[] c, int cAt, int ldc) {
        int c0 = cAt + m * ldc + j;
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector x00 = FloatVector.fromArray(S, c, c0);
        FloatVector x01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector x10 = FloatVector.fromArray(S, c, c1);
        FloatVector x11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector x20 = FloatVector.fromArray(S, c, c2);
        FloatVector x21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector x30 = FloatVector.fromArray(S, c, c3);
        FloatVector x31 = FloatVector.fromArray(S, c, c3 + L);
        int a0 = aAt + m * am;
        for (int k = 0; k < kCount; k++) {
            int bk = bAt + k * ldb + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            int ai = a0 + k * ak;
            FloatVector v = FloatVector.broadcast(S, a[ai]);
            x00 = b0.fma(v, x00);
            x01 = b1.fma(v, x01);
            v = FloatVector.broadcast(S, a[ai + am]);
            x10 = b0.fma(v, x10);
            x11 = b1.fma(v, x11);
            v = FloatVector.broadcast(S, a[ai + 2 * am]);
            x20 = b0.fma(v, x20);
            x21 = b1.fma(v, x21);
            v = FloatVector.broadcast(S, a[ai + 3 * am]);
            x30 = b0.fma(v, x30);
            x31 = b1.fma(v, x31);
        }
        x00.intoArray(c, c0);
        x01.intoArray(c, c0 + L);
        x10.intoArray(c, c1);
        x11.intoArray(c, c1 + L);
        x20.intoArray(c, c2);
        x21.intoArray(c, c2 + L);
        x30.intoArray(c, c3);
        x31.intoArray(c, c3 + L);
    }

    private static void row1(int m, int j, int kCount, float[] a, int aAt, int am, int ak, float[] b, int bAt,
            int ldb, float[] c, int cAt, int ldc) {
        int at = cAt + m * ldc + j;
        FloatVector x = FloatVector.fromArray(S, c, at);
        int a0 = aAt + m * am;
        for (int k = 0; k < kCount; k++) {
            x = FloatVector.fromArray(S, b, bAt + k * ldb + j).fma(FloatVector.broadcast(S, a[a0 + k * ak]), x);
        }
        x.intoArray(c, at);
    }

    @Override
    void sigmoid(float[] a, int from, int to) {
        VectorActivations.sigmoidInPlace(a, from, to);
    }

    @Override
    void tanh(float[] a, int from, int to) {
        VectorActivations.tanhInPlace(a, from, to);
    }
}
