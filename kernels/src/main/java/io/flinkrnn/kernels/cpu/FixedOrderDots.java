package io.flinkrnn.kernels.cpu;

/**
 * Dot products in double with one fixed summation order, whichever variant runs: four running sums, the j-th taking
 * the products of the elements whose index is j modulo 4 (a tail past the last whole four goes to the first), then
 * added as (s0 + s1) + (s2 + s3). The per-key linear model's refits and forecasts are built on them, and their bits
 * must not depend on the machine, the JVM's flags or the variant: {@link #plain()} writes the order out in Java,
 * {@link #best()} takes the four sums as the lanes of a Vector API register where the module is present (each lane a
 * multiply then an add, never fused, exactly as the plain loop rounds). {@code FixedOrderDotsTest} holds every
 * variant to the plain one's bits.
 */
public interface FixedOrderDots {
    /** The sum of x[xAt+i] y[yAt+i] over i < n. */
    double dot(double[] x, int xAt, double[] y, int yAt, int n);

    /**
     * Four dot products of the same length with the same {@code y}: out[outAt+q] = the sum of x[xq+i] y[yAt+i] over
     * i < n, for q = 0..3, each with {@link #dot}'s bits. Why: one dot's four sums wait on each other's adds, while
     * four dots side by side keep the adder busy and read y once (the lags of a series, the rows of a Cholesky factor).
     */
    default void dots4(double[] x, int x0, int x1, int x2, int x3, double[] y, int yAt, int n, double[] out,
            int outAt) {
        out[outAt] = dot(x, x0, y, yAt, n);
        out[outAt + 1] = dot(x, x1, y, yAt, n);
        out[outAt + 2] = dot(x, x2, y, yAt, n);
        out[outAt + 3] = dot(x, x3, y, yAt, n);
    }

    /** The sum of (x[xAt+i] - last) c[cAt+i] over i < n, each difference in float and its product in double. */
    double lagDot(float[] x, int xAt, float[] c, int cAt, int n, float last);

    /** The plain-Java variant: the order written out. */
    static FixedOrderDots plain() {
        return PlainDots.INSTANCE;
    }

    /** The Vector API variant where {@link VectorSupport#enabled()}, else {@link #plain()}: the same bits. */
    static FixedOrderDots best() {
        return VectorSupport.vectorDots().orElse(PlainDots.INSTANCE);
    }
}
