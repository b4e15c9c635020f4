package io.flinkrnn.models.train;

import io.flinkrnn.kernels.cpu.VectorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two double-precision loops backpropagation spends its time in, with one fixed arithmetic that both
 * implementations follow to the bit: {@code axpy} is one fused multiply-add per element; {@code dot} keeps
 * eight partial sums (element i goes to sum i mod 8, each a fused multiply-add), added as
 * ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)). So training gives the same bits with or without the Vector API, on
 * any machine.
 */
abstract class TrainMath {
    private static final Logger LOG = LoggerFactory.getLogger(TrainMath.class);
    private static final TrainMath BEST = load();

    abstract double dot(double[] a, int aAt, double[] b, int bAt, int n);

    /** {@code y[yAt..yAt+n) += alpha * x[xAt..xAt+n)}, one fused multiply-add per element. */
    abstract void axpy(double alpha, double[] x, int xAt, double[] y, int yAt, int n);

    static TrainMath best() {
        return BEST;
    }

    private static TrainMath load() {
        if (VectorSupport.enabled()) {
            try {
                return (TrainMath) Class.forName("io.flinkrnn.models.train.VectorTrainMath").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("the Vector API is present but the vector training loops could not be loaded", e);
            }
        }
        return new ScalarTrainMath();
    }

    /** The reference arithmetic, in plain Java. */
    static final class ScalarTrainMath extends TrainMath {
        @Override
        double dot(double[] a, int aAt, double[] b, int bAt, int n) {
            double[] s = new double[8];
            int i = 0;
            for (; i + 7 < n; i += 8) {
                for (int j = 0; j < 8; j++) {
                    s[j] = Math.fma(a[aAt + i + j], b[bAt + i + j], s[j]);
                }
            }
            for (int j = 0; i < n; i++, j++) {
                s[j] = Math.fma(a[aAt + i], b[bAt + i], s[j]);
            }
            return sum8(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
        }

        @Override
        void axpy(double alpha, double[] x, int xAt, double[] y, int yAt, int n) {
            for (int i = 0; i < n; i++) {
                y[yAt + i] = Math.fma(alpha, x[xAt + i], y[yAt + i]);
            }
        }
    }

    static double sum8(double s0, double s1, double s2, double s3, double s4, double s5, double s6, double s7) {
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
