package io.flinkrnn.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FixedOrderDots} on the Vector API: the four running sums are the four lanes of one 256-bit register, so
 * lane j adds the products of the elements j modulo 4 in index order, each a multiply then an add (never fused), as
 * {@link PlainDots} does; the tail and the final (s0 + s1) + (s2 + s3) are the plain code's. Loaded only through
 * {@link VectorSupport}, and only where the registers hold four doubles.
 */
final class VectorDots implements FixedOrderDots {
    // Species must be static final constants for C2 to intrinsify the vector operations.
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;

    /**
     * Refuses a machine whose registers hold fewer than four doubles (ARM NEON, x86 without AVX): there the Vector
     * API emulates 256-bit vectors and runs 20-50x slower than the plain loops, with the same bits.
     */
    VectorDots() {
        int bits = DoubleVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits < D.vectorBitSize()) {
            throw new UnsupportedOperationException("the vector registers hold " + bits + " bits, fewer than four"
                    + " doubles: the plain loops are faster");
        }
    }

    @Override
    public double dot(double[] x, int xAt, double[] y, int yAt, int n) {
        DoubleVector s = DoubleVector.zero(D);
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s = s.add(DoubleVector.fromArray(D, x, xAt + i).mul(DoubleVector.fromArray(D, y, yAt + i)));
        }
        double s0 = s.lane(0);
        for (; i < n; i++) {
            s0 += x[xAt + i] * y[yAt + i];
        }
        return (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
    }

    @Override
    public double lagDot(float[] x, int xAt, float[] c, int cAt, int n, float last) {
        DoubleVector s = DoubleVector.zero(D);
        int i = 0;
        for (; i + 3 < n; i += 4) {
            DoubleVector d = FloatVector.fromArray(F, x, xAt + i).sub(last)
                    .convertShape(VectorOperators.F2D, D, 0).reinterpretAsDoubles();
            DoubleVector w = FloatVector.fromArray(F, c, cAt + i)
                    .convertShape(VectorOperators.F2D, D, 0).reinterpretAsDoubles();
            s = s.add(d.mul(w));
        }
        double s0 = s.lane(0);
        for (; i < n; i++) {
            s0 += (double) (x[xAt + i] - last) * c[cAt + i];
        }
        return (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
    }
}
