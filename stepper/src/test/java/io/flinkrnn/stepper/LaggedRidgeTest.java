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

    @Test
    void theNormalEquationsFromLaggedProductsEqualTheDirectSums() {
        double[] u = series(5);
        for (int[] range : new int[][] {{STEPS, ROWS - W}, {150, ROWS - W}, {STEPS, 200}}) {
            int from = range[0];
            int to = range[1];
            double[] g = new double[P * P];
            double[] mo = new double[P * STEPS];
            new LaggedRidge(W, STEPS, ROWS).normalEquations(u, from, to, g, mo);
            double[] wantG = new double[P * P];
            double[] wantM = new double[P * STEPS];
            for (int t = from; t <= to; t++) {
                double[] x = inputs(u, t);
                for (int i = 0; i < P; i++) {
                    for (int j = 0; j <= i; j++) {
                        wantG[i * P + j] += x[i] * x[j];
                    }
                    for (int k = 1; k <= STEPS; k++) {
                        wantM[(k - 1) * P + i] += x[i] * (u[t - k] - u[t]);
                    }
                }
            }
            for (int i = 0; i < P; i++) {
                for (int j = 0; j <= i; j++) {
                    double want = wantG[i * P + j];
                    assertEquals(want, g[i * P + j], 1e-8 * (1 + Math.abs(want)), "X'X " + i + "," + j + " " + from);
                }
            }
            for (int i = 0; i < wantM.length; i++) {
                assertEquals(wantM[i], mo[i], 1e-8 * (1 + Math.abs(wantM[i])), "X'Y " + i + " " + from);
            }
        }
    }

    @Test
    void theOlderOriginsEquationsAndAllOfThemComeFromOnePass() {
        double[] u = series(9);
        int split = 200;
        int to = ROWS - W;
        double[][] want = new double[4][];
        double[][] got = new double[4][];
        for (int i = 0; i < 4; i++) {
            want[i] = new double[i % 2 == 0 ? P * P : P * STEPS];
            got[i] = new double[want[i].length];
        }
        LaggedRidge ridge = new LaggedRidge(W, STEPS, ROWS);
        ridge.normalEquations(u, split, to, want[0], want[1]);
        ridge.normalEquations(u, STEPS, to, want[2], want[3]);
        ridge.normalEquations(u, STEPS, split, to, got[0], got[1], got[2], got[3]);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < want[i].length; j++) {
                assertEquals(want[i][j], got[i][j], 1e-9 * (1 + Math.abs(want[i][j])), "array " + i + " at " + j);
            }
        }
    }

    @Test
    void theSolveSatisfiesThePenalisedEquationsForEveryStep() {
        double[] u = series(7);
        LaggedRidge ridge = new LaggedRidge(W, STEPS, ROWS);
        double[] g = new double[P * P];
        double[] mo = new double[P * STEPS];
        ridge.normalEquations(u, STEPS, ROWS - W, g, mo);
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
    void theHeldOutErrorIsTheAbsoluteErrorOriginByOrigin() {
        double[] u = series(11);
        LaggedRidge ridge = new LaggedRidge(W, STEPS, ROWS);
        double[] g = new double[P * P];
        double[] mo = new double[P * STEPS];
        ridge.normalEquations(u, 200, ROWS - W, g, mo);
        ridge.solve(g, mo, 1);
        double want = 0;
        for (int t = STEPS; t < 200; t++) {
            double[] x = inputs(u, t);
            for (int k = 1; k <= STEPS; k++) {
                double y = 0;
                for (int j = 0; j < P; j++) {
                    y += x[j] * ridge.beta[(k - 1) * P + j];
                }
                want += Math.abs(u[t - k] - u[t] - y);
            }
        }
        assertEquals(want, ridge.heldOutError(u, STEPS, 199), 1e-9 * want);
    }
}
