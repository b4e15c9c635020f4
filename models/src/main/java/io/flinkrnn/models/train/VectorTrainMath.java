package io.flinkrnn.models.train;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TrainMath} on the incubating Vector API: two 4-lane accumulators hold the eight partial sums of
 * {@code dot}; {@code axpy} is lane-wise. Loaded only when the module is present (see VectorSupport).
 */
final class VectorTrainMath extends TrainMath {
    private static final VectorSpecies<Double> S4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Double> WIDE = DoubleVector.SPECIES_PREFERRED;

    @Override
    double dot(double[] a, int aAt, double[] b, int bAt, int n) {
        DoubleVector lo = DoubleVector.zero(S4);
        DoubleVector hi = DoubleVector.zero(S4);
        int i = 0;
        for (; i + 7 < n; i += 8) {
            lo = DoubleVector.fromArray(S4, a, aAt + i).fma(DoubleVector.fromArray(S4, b, bAt + i), lo);
            hi = DoubleVector.fromArray(S4, a, aAt + i + 4).fma(DoubleVector.fromArray(S4, b, bAt + i + 4), hi);
        }
        double[] s = {lo.lane(0), lo.lane(1), lo.lane(2), lo.lane(3), hi.lane(0), hi.lane(1), hi.lane(2), hi.lane(3)};
        for (int j = 0; i < n; i++, j++) {
            s[j] = Math.fma(a[aAt + i], b[bAt + i], s[j]);
        }
        return sum8(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
    }

    @Override
    void axpy(double alpha, double[] x, int xAt, double[] y, int yAt, int n) {
        int i = 0;
        int step = WIDE.length();
        DoubleVector va = DoubleVector.broadcast(WIDE, alpha);
        for (; i + step - 1 < n; i += step) {
            va.fma(DoubleVector.fromArray(WIDE, x, xAt + i), DoubleVector.fromArray(WIDE, y, yAt + i))
                    .intoArray(y, yAt + i);
        }
        for (; i < n; i++) {
            y[yAt + i] = Math.fma(alpha, x[xAt + i], y[yAt + i]);
        }
    }
}
