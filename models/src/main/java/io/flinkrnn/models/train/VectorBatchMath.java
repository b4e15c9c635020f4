package io.flinkrnn.models.train;

import io.flinkrnn.kernels.cpu.VectorActivations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchMath} on the incubating Vector API: {@code gemm} keeps a 4-row by 2-vector block of C in
 * registers and, for each k in order, broadcasts four A values and fuses them with two vectors of B's row k;
 * narrower and shorter edges take one vector, then single lanes, each element still one fused multiply-add per
 * k in order. Loaded only when the module is present (see VectorSupport).
 */
final class VectorBatchMath extends BatchMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    void gemm(int mCount, int nCount, int kCount, float[] a, int aAt, int am, int ak, float[] b, int bAt, int ldb,
            float[] c, int cAt, int ldc) {
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
            lanes(m, m + 4, j, nCount, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
        }
        for (; m < mCount; m++) {
            int j = 0;
            for (; j + L <= nCount; j += L) {
                row1(m, j, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
            }
            lanes(m, m + 1, j, nCount, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
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

    private static void lanes(int mFrom, int mTo, int jFrom, int nCount, int kCount, float[] a, int aAt, int am,
            int ak, float[] b, int bAt, int ldb, float[] c, int cAt, int ldc) {
        for (int m = mFrom; m < mTo; m++) {
            for (int j = jFrom; j < nCount; j++) {
                float acc = c[cAt + m * ldc + j];
                for (int k = 0; k < kCount; k++) {
                    acc = Math.fma(a[aAt + m * am + k * ak], b[bAt + k * ldb + j], acc);
                }
                c[cAt + m * ldc + j] = acc;
            }
        }
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
