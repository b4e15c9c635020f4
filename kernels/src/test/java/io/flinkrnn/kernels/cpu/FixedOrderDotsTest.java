package io.flinkrnn.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/** Every variant of {@link FixedOrderDots} gives the plain one's bits: lengths, offsets and magnitudes of all kinds. */
class FixedOrderDotsTest {
    static boolean fourDoubleRegisters() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    @Test
    void theVectorVariantRunsWhereTheRegistersHoldFourDoubles() {
        assertTrue(VectorSupport.enabled(), "the tests run with --add-modules jdk.incubator.vector");
        assertEquals(fourDoubleRegisters() ? VectorDots.class : PlainDots.class, FixedOrderDots.best().getClass(),
                "elsewhere the Vector API emulates the registers, many times slower than the plain loops");
    }

    @Test
    void theVectorVariantGivesThePlainBitsOnceCompiled() {
        assumeTrue(fourDoubleRegisters(), "no 256-bit registers: the plain loops run (previous test)");
        FixedOrderDots plain = FixedOrderDots.plain();
        FixedOrderDots vector = new VectorDots();
        SplittableRandom r = new SplittableRandom(36);
        // Enough calls for C2 to compile both variants well before the last of them (the first run interpreted).
        for (int trial = 0; trial < 200_000; trial++) {
            int n = r.nextInt(0, 131);
            int xAt = r.nextInt(0, 5);
            int yAt = r.nextInt(0, 5);
            // Wide magnitudes and mixed signs, so that another order or a fused multiply-add changes the bits.
            double scale = Math.pow(10, r.nextInt(-6, 7));
            double[] x = new double[n + xAt];
            double[] y = new double[n + yAt];
            float[] xf = new float[n + xAt];
            float[] cf = new float[n + yAt];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian() * scale * (r.nextInt(8) == 0 ? 1e6 : 1);
                xf[i] = (float) (r.nextGaussian() * scale);
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextGaussian() / scale;
                cf[i] = (float) r.nextGaussian();
            }
            float last = (float) (r.nextGaussian() * scale);
            long want = Double.doubleToRawLongBits(plain.dot(x, xAt, y, yAt, n));
            long got = Double.doubleToRawLongBits(vector.dot(x, xAt, y, yAt, n));
            double[] four = new double[5];
            vector.dots4(x, xAt, xAt, xAt, xAt, y, yAt, n, four, 1);
            for (int q = 1; q <= 4; q++) {
                if (Double.doubleToRawLongBits(four[q]) != want) {
                    assertEquals(want, Double.doubleToRawLongBits(four[q]), "dots4 lane " + q + ", trial " + trial);
                }
            }
            long wantLag = Double.doubleToRawLongBits(plain.lagDot(xf, xAt, cf, yAt, n, last));
            long gotLag = Double.doubleToRawLongBits(vector.lagDot(xf, xAt, cf, yAt, n, last));
            if (want != got || wantLag != gotLag) {
                String where = "trial " + trial + ", n " + n + " offsets " + xAt + "/" + yAt + " scale " + scale;
                assertEquals(want, got, "dot, " + where);
                assertEquals(wantLag, gotLag, "lagDot, " + where);
            }
        }
    }

    @Test
    void fourDotsSideBySideEachGiveOneDotsBits() {
        SplittableRandom r = new SplittableRandom(41);
        FixedOrderDots[] variants = fourDoubleRegisters()
                ? new FixedOrderDots[] {FixedOrderDots.plain(), new VectorDots()} : new FixedOrderDots[] {
                    FixedOrderDots.plain()};
        for (int trial = 0; trial < 100_000; trial++) {
            int n = r.nextInt(0, 131);
            double scale = Math.pow(10, r.nextInt(-6, 7));
            double[] x = new double[n + 40];
            double[] y = new double[n + 5];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian() * scale * (r.nextInt(8) == 0 ? 1e6 : 1);
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextGaussian() / scale;
            }
            int[] at = {r.nextInt(0, 41), r.nextInt(0, 41), r.nextInt(0, 41), r.nextInt(0, 41)};
            int yAt = r.nextInt(0, 5);
            for (FixedOrderDots d : variants) {
                double[] out = new double[7];
                d.dots4(x, at[0], at[1], at[2], at[3], y, yAt, n, out, 2);
                for (int q = 0; q < 4; q++) {
                    long want = Double.doubleToRawLongBits(FixedOrderDots.plain().dot(x, at[q], y, yAt, n));
                    if (Double.doubleToRawLongBits(out[2 + q]) != want) {
                        assertEquals(want, Double.doubleToRawLongBits(out[2 + q]), d.getClass().getSimpleName()
                                + " dot " + q + ", trial " + trial + ", n " + n);
                    }
                }
                assertEquals(0.0, out[0] + out[1] + out[6], "nothing written outside its four");
            }
        }
    }

    @Test
    void theOrderIsFourRunningSumsAddedInPairs() {
        // 1e17 and -1e17 meet in sum 0, so the 1, 3 and 5 in sums 1-3 survive; one running sum (1e17 + 1 + ...)
        // loses them.
        double[] x = {1e17, 1, 3, 5, -1e17, 2, 7, 11, 13};
        double[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        double want = ((1e17 + -1e17 + 13) + (1.0 + 2)) + ((3.0 + 7) + (5.0 + 11));
        // The same in lagDot (differences from last = 0, products in double): 1e17f and -1e17f meet in sum 0.
        float[] xf = {1e17f, 1f, 3f, 5f, -1e17f, 2f, 7f, 11f, 13f};
        float[] c = {1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f};
        double wantLag = want;
        for (FixedOrderDots d : fourDoubleRegisters() ? new FixedOrderDots[] {FixedOrderDots.plain(), new VectorDots()}
                : new FixedOrderDots[] {FixedOrderDots.plain()}) {
            assertEquals(want, d.dot(x, 0, ones, 0, 9), d.getClass().getSimpleName());
            assertEquals(wantLag, d.lagDot(xf, 0, c, 0, 9, 0f), d.getClass().getSimpleName());
        }
        double one = 0;
        for (double v : x) {
            one += v;
        }
        assertEquals(42.0, want, "the small terms survive");
        assertEquals(33.0, one, "in one running sum they would not: so the test tells the orders apart");
    }
}
