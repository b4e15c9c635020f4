package io.flinkrnn.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.cpu.VectorSupport;
import io.flinkrnn.kernels.model.CellType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The float32 mini-batch backpropagation against the float64 reference ({@link WindowGradient}, itself checked
 * against central differences), and its Vector API loops against their plain-Java twin, bit for bit. Sizes that
 * are not multiples of the vector length (H = 20, 7 windows of 3 to 9 steps, missing targets) take every edge
 * path.
 *
 * <p>Tolerance: the largest gradient difference at most 1e-4 of the largest gradient. float32 rounding (6e-8
 * relative per operation) over a few hundred terms per parameter, and the activations' rational approximation
 * (3.4e-7 absolute), put the honest difference near 1e-6; a wrong term in any formula is of the order of the
 * gradient itself.
 */
class BatchGradientTest {
    private static final int F = 3;
    private static final int H = 20;
    private static final int LAYERS = 2;
    private static final int OUTPUTS = 4;
    private static final int ROWS = 7;
    private static final int STEPS = 9;

    /** The shard's windows: inputs, targets (some missing), start states and lengths. */
    record Shard(double[][] x, double[][] y, double[][] state, int[] steps) {
    }

    static Shard shard(CellType cell, SplittableRandom rnd) {
        double[][] x = new double[ROWS][];
        double[][] y = new double[ROWS][];
        double[][] s = new double[ROWS][];
        int[] steps = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            steps[r] = 3 + r % (STEPS - 2);
            x[r] = normal(rnd, steps[r] * F);
            y[r] = normal(rnd, steps[r] * OUTPUTS);
            if (r % 3 == 0) {
                y[r][y[r].length - 1] = Double.NaN;
                y[r][1] = Double.NaN;
            }
            s[r] = normal(rnd, LAYERS * H * cell.statesPerLayer());
            for (int i = 0; i < s[r].length; i++) {
                s[r][i] *= 0.5;
            }
        }
        return new Shard(x, y, s, steps);
    }

    /** Float parameters widened back to double, so that both paths start from the same weights. */
    static double[] floatParameters(ParameterLayout lay, SplittableRandom rnd) {
        double[] p = lay.initialise(rnd);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (p[i] * 2);
        }
        return p;
    }

    static double[] floatGradient(ParameterLayout lay, Shard s, double[] p, BatchMath math, double[] sums) {
        return floatGradient(lay, s, p, math, sums, TrainingLoss.mse());
    }

    static double[] floatGradient(ParameterLayout lay, Shard s, double[] p, BatchMath math, double[] sums,
            TrainingLoss loss) {
        BatchGradient b = new BatchGradient(lay, ROWS + 1, STEPS + 1, math, loss);
        b.start(ROWS, STEPS);
        for (int r = 0; r < ROWS; r++) {
            b.window(r, s.steps()[r], s.x()[r], s.y()[r], s.state()[r]);
        }
        double[] g = new double[lay.size()];
        b.run(new BatchParameters(lay).load(p), g, sums);
        return g;
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void matchesTheFloat64ReferenceWithinFloat32Rounding(CellType cell) {
        assertMatchesTheFloat64Reference(cell, TrainingLoss.mse());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void huberLossMatchesTheFloat64ReferenceWithinFloat32Rounding(CellType cell) {
        assertMatchesTheFloat64Reference(cell, TrainingLoss.huber(0.3));
    }

    private static void assertMatchesTheFloat64Reference(CellType cell, TrainingLoss loss) {
        ParameterLayout lay = new ParameterLayout(cell, F, H, LAYERS, OUTPUTS);
        SplittableRandom rnd = new SplittableRandom(3);
        double[] p = floatParameters(lay, rnd);
        Shard s = shard(cell, rnd);
        double[] floatSums = new double[2];
        double[] g = floatGradient(lay, s, p, BatchMath.best(), floatSums, loss);
        double[] ref = new double[lay.size()];
        double[] refSums = new double[2];
        WindowGradient w = new WindowGradient(lay, STEPS, loss);
        for (int r = 0; r < ROWS; r++) {
            w.run(s.steps()[r], s.x()[r], s.y()[r], s.state()[r], p, ref, refSums);
        }
        double biggest = 0;
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            biggest = Math.max(biggest, Math.abs(ref[i]));
            worst = Math.max(worst, Math.abs(ref[i] - g[i]));
        }
        assertTrue(biggest > 0.1, "a gradient worth checking: " + biggest);
        assertTrue(worst <= 1e-4 * biggest, cell + " " + loss + ": worst gradient difference " + worst + " of "
                + biggest);
        assertEquals(refSums[1], floatSums[1], "the same target terms");
        assertEquals(refSums[0], floatSums[0], 1e-5 * refSums[0], "the same squared error");
    }

    /** A training-sized shard: 16 windows of 96 steps, 5 inputs, H = 32, 6 outputs: products of K = 1,536 terms. */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void matchesTheReferenceOnATrainingSizedShard(CellType cell) {
        int f = 5;
        int hidden = 32;
        int outputs = 6;
        int rows = 16;
        int steps = 96;
        ParameterLayout lay = new ParameterLayout(cell, f, hidden, 1, outputs);
        SplittableRandom rnd = new SplittableRandom(13);
        double[] p = floatParameters(lay, rnd);
        BatchGradient b = new BatchGradient(lay, rows, steps, BatchMath.best(), TrainingLoss.mse());
        b.start(rows, steps);
        double[] ref = new double[lay.size()];
        WindowGradient w = new WindowGradient(lay, steps, TrainingLoss.mse());
        for (int r = 0; r < rows; r++) {
            double[] x = normal(rnd, steps * f);
            double[] y = normal(rnd, steps * outputs);
            double[] st = normal(rnd, hidden * cell.statesPerLayer());
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) x[i];
            }
            b.window(r, steps, x, y, st);
            w.run(steps, x, y, st, p, ref, new double[2]);
        }
        double[] g = new double[lay.size()];
        b.run(new BatchParameters(lay).load(p), g, new double[2]);
        double biggest = 0;
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            biggest = Math.max(biggest, Math.abs(ref[i]));
            worst = Math.max(worst, Math.abs(ref[i] - g[i]));
        }
        assertTrue(worst <= 1e-4 * biggest, cell + ": worst gradient difference " + worst + " of " + biggest);
        System.out.printf("batch_gradient_check cell=%s worst_relative=%.3g%n", cell, worst / biggest);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void theVectorLoopsAndThePlainJavaTwinGiveTheSameBits(CellType cell) {
        Assumptions.assumeTrue(VectorSupport.enabled(), "the Vector API is not present");
        ParameterLayout lay = new ParameterLayout(cell, F, H, LAYERS, OUTPUTS);
        SplittableRandom rnd = new SplittableRandom(5);
        double[] p = floatParameters(lay, rnd);
        Shard s = shard(cell, rnd);
        double[] vectorSums = new double[2];
        double[] plainSums = new double[2];
        double[] vector = floatGradient(lay, s, p, BatchMath.best(), vectorSums);
        double[] plain = floatGradient(lay, s, p, BatchMath.plain(), plainSums);
        assertTrue(BatchMath.best() instanceof VectorBatchMath, "the vector loops are in use");
        assertArrayEquals(plain, vector, 0.0, cell + ": gradients");
        assertArrayEquals(plainSums, vectorSums, 0.0, cell + ": sums");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void theGemmEdgesAgreeWithThePlainLoops(CellType cell) {
        SplittableRandom rnd = new SplittableRandom(9 + cell.ordinal());
        for (int[] size : new int[][] {{1, 1, 1}, {4, 32, 5}, {7, 45, 16}, {13, 3, 64}, {16, 256, 20},
            {520, 1, 40}, {64, 3, 300}, {70, 5, 7}, {20, 40, 300}, {256, 64, 1536}}) {
            int m = size[0];
            int n = size[1];
            int k = size[2];
            float[] a = floats(rnd, m * k);
            float[] b = floats(rnd, k * n);
            float[] c1 = floats(rnd, m * n);
            float[] c2 = c1.clone();
            BatchMath.plain().gemm(m, n, k, a, 0, k, 1, b, 0, n, c1, 0, n);
            BatchMath.best().gemm(m, n, k, a, 0, k, 1, b, 0, n, c2, 0, n);
            assertArrayEquals(c1, c2, 0f, m + "x" + n + "x" + k);
            float[] c3 = new float[m * n];
            BatchMath.best().gemm(m, n, k, a, 0, 1, m, b, 0, n, c3, 0, n); // A read transposed
            float[] c4 = new float[m * n];
            BatchMath.plain().gemm(m, n, k, a, 0, 1, m, b, 0, n, c4, 0, n);
            assertArrayEquals(c4, c3, 0f, "transposed A " + m + "x" + n + "x" + k);
        }
    }

    static float[] floats(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return v;
    }

    static double[] normal(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            double w = rnd.nextDouble();
            v[i] = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
        }
        return v;
    }
}
