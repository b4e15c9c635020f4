package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The linear model's arithmetic against the sums written out: its normal equations from lagged products equal X'X and
 * X'Y summed origin by origin, its solve satisfies the penalised equations, and its held-out error is the absolute
 * error of those coefficients origin by origin.
 */
class LaggedRidgeTest {
    static final int W = LinearForecaster.WINDOW;
    static final int P = W + 1;
    static final int STEPS = 3;
    static final int ROWS = 700;

    static double[] series(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] u = new double[ROWS];
        for (int i = 0; i < u.length; i++) {
            u[i] = rnd.nextGaussian() * 3 + Math.sin(i / 5.0);
        }
        return u;
    }

    static double[] inputs(double[] u, int t) {
        double[] x = new double[P];
        for (int j = 0; j < W; j++) {
            x[j] = u[t + W - 1 - j] - u[t];
        }
        x[W] = 1;
        return x;
    }

    /** X'X (lower triangle) and X'Y over the origins [from, to], summed origin by origin. */
    static double[][] direct(double[] u, int from, int to) {
        double[] g = new double[P * P];
        double[] m = new double[P * STEPS];
        for (int t = from; t <= to; t++) {
            double[] x = inputs(u, t);
            for (int i = 0; i < P; i++) {
                for (int j = 0; j <= i; j++) {
                    g[i * P + j] += x[i] * x[j];
                }
                for (int k = 1; k <= STEPS; k++) {
                    m[(k - 1) * P + i] += x[i] * (u[t - k] - u[t]);
                }
            }
        }
        return new double[][] {g, m};
    }

    static void assertSameEquations(double[][] want, double[] g, double[] m, String range) {
        for (int i = 0; i < P; i++) {
            for (int j = 0; j <= i; j++) {
                double w = want[0][i * P + j];
                assertEquals(w, g[i * P + j], 1e-8 * (1 + Math.abs(w)), "X'X " + i + "," + j + " " + range);
            }
        }
        for (int i = 0; i < want[1].length; i++) {
            assertEquals(want[1][i], m[i], 1e-8 * (1 + Math.abs(want[1][i])), "X'Y " + i + " " + range);
        }
    }

    /** The equations over the origins [split, to] and over [from, to], as the linear model asks for them. */
    static double[][] equations(LaggedRidge ridge, double[] u, int from, int split, int to) {
        double[][] e = {new double[P * P], new double[P * STEPS], new double[P * P], new double[P * STEPS]};
        ridge.normalEquations(u, from, split, to, e[0], e[1], e[2], e[3]);
        return e;
    }

    @Test
    void theNormalEquationsFromLaggedProductsEqualTheDirectSums() {
        double[] u = series(5);
        for (int[] range : new int[][] {{STEPS, 150, ROWS - W}, {STEPS, 100, 200}}) {
            int from = range[0];
            int split = range[1];
            int to = range[2];
            double[][] e = equations(new LaggedRidge(W, STEPS, ROWS), u, from, split, to);
            assertSameEquations(direct(u, split, to), e[0], e[1], "[" + split + ", " + to + "]");
            assertSameEquations(direct(u, from, to), e[2], e[3], "[" + from + ", " + to + "]");
        }
    }

    @Test
    void theSolveSatisfiesThePenalisedEquationsForEveryStep() {
        double[] u = series(7);
        LaggedRidge ridge = new LaggedRidge(W, STEPS, ROWS);
        double[][] e = equations(ridge, u, STEPS, 150, ROWS - W);
        double[] g = e[2];
        double[] mo = e[3];
        double penalty = 0.1;
        ridge.solve(g, mo, penalty);
        for (int k = 0; k < STEPS; k++) {
            for (int i = 0; i < P; i++) {
                double lhs = 0;
                for (int j = 0; j < P; j++) {
                    double gij = i >= j ? g[i * P + j] : g[j * P + i];
                    if (i == j && i < W) {
                        gij *= 1 + penalty;
                    }
                    lhs += gij * ridge.beta[k * P + j];
                }
                assertEquals(mo[k * P + i], lhs, 1e-6 * (1 + Math.abs(mo[k * P + i])), "step " + k + " row " + i);
            }
        }
    }

    @Test
    void theHeldOutErrorIsTheGuardsErrorOriginByOrigin() {
        for (GuardError error : GuardError.values()) {
            heldOutErrorOriginByOrigin(error);
        }
    }

    private static void heldOutErrorOriginByOrigin(GuardError error) {
        double[] u = series(11);
        LaggedRidge ridge = new LaggedRidge(W, STEPS, ROWS);
        double[][] e = equations(ridge, u, STEPS, 200, ROWS - W);
        ridge.solve(e[0], e[1], 1);
        double want = 0;
        for (int t = STEPS; t < 200; t++) {
            double[] x = inputs(u, t);
            for (int k = 1; k <= STEPS; k++) {
                double y = 0;
                for (int j = 0; j < P; j++) {
                    y += x[j] * ridge.beta[(k - 1) * P + j];
                }
                double miss = u[t - k] - u[t] - y;
                want += error == GuardError.SQUARED ? miss * miss : Math.abs(miss);
            }
        }
        assertEquals(want, ridge.heldOutError(u, STEPS, 199, error), 1e-9 * want, error.name());
    }
}
