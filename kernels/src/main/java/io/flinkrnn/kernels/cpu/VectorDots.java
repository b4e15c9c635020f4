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
    public void dots4(double[] x, int x0, int x1, int x2, int x3, double[] y, int yAt, int n, double[] out,
            int outAt) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            DoubleVector yv = DoubleVector.fromArray(D, y, yAt + i);
            s0 = s0.add(DoubleVector.fromArray(D, x, x0 + i).mul(yv));
            s1 = s1.add(DoubleVector.fromArray(D, x, x1 + i).mul(yv));
            s2 = s2.add(DoubleVector.fromArray(D, x, x2 + i).mul(yv));
            s3 = s3.add(DoubleVector.fromArray(D, x, x3 + i).mul(yv));
        }
        double t0 = s0.lane(0);
        double t1 = s1.lane(0);
        double t2 = s2.lane(0);
        double t3 = s3.lane(0);
        for (; i < n; i++) {
            double yi = y[yAt + i];
            t0 += x[x0 + i] * yi;
            t1 += x[x1 + i] * yi;
            t2 += x[x2 + i] * yi;
            t3 += x[x3 + i] * yi;
        }
        out[outAt] = (t0 + s0.lane(1)) + (s0.lane(2) + s0.lane(3));
        out[outAt + 1] = (t1 + s1.lane(1)) + (s1.lane(2) + s1.lane(3));
        out[outAt + 2] = (t2 + s2.lane(1)) + (s2.lane(2) + s2.lane(3));
        out[outAt + 3] = (t3 + s3.lane(1)) + (s3.lane(2) + s3.lane(3));
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
