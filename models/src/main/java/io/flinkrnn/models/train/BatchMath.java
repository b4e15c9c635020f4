package io.flinkrnn.models.train;

import io.flinkrnn.kernels.cpu.Activations;
import io.flinkrnn.kernels.cpu.VectorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The float32 loops mini-batch backpropagation spends its time in, with one arithmetic both implementations
 * follow to the bit. {@code gemm} adds to every output C[m][j] the terms A(m,k) B[k][j] for k = 0, 1, ..., K-1
 * in that order, each one fused multiply-add into the running value (no partial sums), so a plain loop and a
 * register-blocked vector loop agree exactly; the activations are {@link Activations}', whose vector form
 * gives the same bits. So training gives the same bits with or without the Vector API, on any machine.
 */
abstract class BatchMath {
    private static final Logger LOG = LoggerFactory.getLogger(BatchMath.class);

    /**
     * {@code C[m][j] += sum_k A(m,k) * B[k][j]} for m < M, j < N, k < K ascending, where A(m,k) = {@code
     * a[aAt + m*am + k*ak]}, B[k][j] = {@code b[bAt + k*ldb + j]} and C[m][j] = {@code c[cAt + m*ldc + j]}.
     */
    abstract void gemm(int mCount, int nCount, int kCount, float[] a, int aAt, int am, int ak, float[] b, int bAt,
            int ldb, float[] c, int cAt, int ldc);

    abstract void sigmoid(float[] a, int from, int to);

    abstract void tanh(float[] a, int from, int to);

    private static volatile boolean warm;

    /**
     * Runs every loop shape of {@link #best()} until the JIT has compiled it (once per JVM, well under a second):
     * until C2 compiles them, the Vector API's operations run as slow Java fallbacks, which a training run of a
     * few seconds would otherwise spend a good part of its time in.
     */
    static void warmUp() {
        if (warm) {
            return;
        }
        BatchMath m = best();
        float[] a = new float[64 * 80];
        float[] b = new float[80 * 64];
        float[] c = new float[80 * 64];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.01f;
            b[i] = (i % 5) * 0.01f;
        }
        for (int i = 0; i < 3000; i++) {
            m.gemm(8, 40, 16, a, 0, 16, 1, b, 0, 40, c, 0, 40); // blocks, one-vector columns and single lanes
            m.gemm(3, 16, 8, a, 0, 8, 1, b, 0, 16, c, 0, 16); // rows past the last block of four
            m.gemm(64, 1, 16, a, 0, 1, 64, b, 0, 1, c, 0, 1); // the narrow kernel
            m.sigmoid(c, 0, 40);
            m.tanh(c, 0, 40);
            java.util.Arrays.fill(c, 0f);
        }
        warm = true;
    }

    /** A new instance of the fastest implementation here: one per worker thread (it keeps a buffer). */
    static BatchMath best() {
        return load();
    }

    static BatchMath plain() {
        return new PlainBatchMath();
    }

    private static BatchMath load() {
        if (VectorSupport.enabled()) {
            try {
                return (BatchMath) Class.forName("io.flinkrnn.models.train.VectorBatchMath").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("the Vector API is present but the vector training loops could not be loaded", e);
            }
        }
        return new PlainBatchMath();
    }

    /** The arithmetic itself, element by element, for rows [mFrom, mTo) and columns [jFrom, jTo) of C. */
    static void gemmElements(int mFrom, int mTo, int jFrom, int jTo, int kCount, float[] a, int aAt, int am, int ak,
            float[] b, int bAt, int ldb, float[] c, int cAt, int ldc) {
        for (int m = mFrom; m < mTo; m++) {
            for (int j = jFrom; j < jTo; j++) {
                float acc = c[cAt + m * ldc + j];
                for (int k = 0; k < kCount; k++) {
                    acc = Math.fma(a[aAt + m * am + k * ak], b[bAt + k * ldb + j], acc);
                }
                c[cAt + m * ldc + j] = acc;
            }
        }
    }

    /** The reference arithmetic, in plain Java. */
    static final class PlainBatchMath extends BatchMath {
        @Override
        void gemm(int mCount, int nCount, int kCount, float[] a, int aAt, int am, int ak, float[] b, int bAt, int ldb,
                float[] c, int cAt, int ldc) {
            gemmElements(0, mCount, 0, nCount, kCount, a, aAt, am, ak, b, bAt, ldb, c, cAt, ldc);
        }

        @Override
        void sigmoid(float[] a, int from, int to) {
            for (int j = from; j < to; j++) {
                a[j] = Activations.sigmoid(a[j]);
            }
        }

        @Override
        void tanh(float[] a, int from, int to) {
            for (int j = from; j < to; j++) {
                a[j] = Activations.tanh(a[j]);
            }
        }
    }
}
