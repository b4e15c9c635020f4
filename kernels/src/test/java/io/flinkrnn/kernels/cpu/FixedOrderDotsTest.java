package io.flinkrnn.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every variant of {@link FixedOrderDots} gives the plain one's bits: lengths, offsets and magnitudes of all kinds. */
class FixedOrderDotsTest {
    @Test
    void theVectorVariantRunsWhereTheModuleIsPresent() {
        assertTrue(VectorSupport.enabled(), "the tests run with --add-modules jdk.incubator.vector");
        assertNotSame(FixedOrderDots.plain(), FixedOrderDots.best(), "else this test compares the plain code to itself");
        assertEquals(VectorDots.class, FixedOrderDots.best().getClass());
    }

    @Test
    void everyVariantGivesThePlainBits() {
        FixedOrderDots plain = FixedOrderDots.plain();
        FixedOrderDots vector = FixedOrderDots.best();
        SplittableRandom r = new SplittableRandom(36);
        for (int trial = 0; trial < 4000; trial++) {
            int n = r.nextInt(0, 131);
            int xAt = r.nextInt(0, 5);
            int yAt = r.nextInt(0, 5);
            // Wide magnitudes and mixed signs, so that a different order or a fused multiply-add changes the bits.
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
            String where = "n " + n + " offsets " + xAt + "/" + yAt + " scale " + scale;
            assertEquals(Double.doubleToRawLongBits(plain.dot(x, xAt, y, yAt, n)),
                    Double.doubleToRawLongBits(vector.dot(x, xAt, y, yAt, n)), "dot, " + where);
            assertEquals(Double.doubleToRawLongBits(plain.lagDot(xf, xAt, cf, yAt, n, last)),
                    Double.doubleToRawLongBits(vector.lagDot(xf, xAt, cf, yAt, n, last)), "lagDot, " + where);
        }
    }

    @Test
    void theOrderIsFourRunningSumsAddedInPairs() {
        // 1e16 and -1e16 meet in sum 0, so the 1 in sum 1 survives; one running sum (1e16 + 1 + ...) would lose it.
        double[] x = {1e16, 1, 3, 5, -1e16, 2, 7, 11, 13};
        double[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        double s0 = (1e16 + -1e16) + 13;
        double s1 = 1.0 + 2;
        double s2 = 3.0 + 7;
        double s3 = 5.0 + 11;
        double want = (s0 + s1) + (s2 + s3);
        assertEquals(want, FixedOrderDots.plain().dot(x, 0, ones, 0, 9));
        assertEquals(want, FixedOrderDots.best().dot(x, 0, ones, 0, 9));
        float[] xf = {3f, 1f, 2f, 5f, 8f};
        float[] c = {0.5f, 0.25f, 2f, 1f, 4f};
        double lag = ((double) (3f - 1f) * 0.5f + (double) (8f - 1f) * 4f + (double) (1f - 1f) * 0.25f)
                + ((double) (2f - 1f) * 2f + (double) (5f - 1f) * 1f);
        assertEquals(lag, FixedOrderDots.best().lagDot(xf, 0, c, 0, 5, 1f));
    }
}
