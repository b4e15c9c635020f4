package io.flinkrnn.stepper;

import io.flinkrnn.kernels.cpu.FixedOrderDots;

/**
 * The arithmetic of a key's linear model, apart from its state: ridge regression of a series' k-step changes on its
 * last W values relative to the newest and a constant, from the series alone. The normal equations come from the
 * series' products at each lag (X'X and X'Y of every step are differences of them), a Cholesky factorisation solves
 * every step at once, and the held-out error judges a penalty. Why a class of its own: this is what a refit costs, so
 * it is written once, in double arithmetic in a fixed order ({@link FixedOrderDots}: four running sums per product,
 * then added in pairs), which gives the same bits on every machine and about four times the speed of one running sum.
 */
final class LaggedRidge {
    /** The dot products every sum here is built of: the Vector API's where present, the same bits either way. */
    private static final FixedOrderDots DOTS = FixedOrderDots.best();
    private final int window;
    private final int steps;
    private final int p;
    /** R(L) = sum of u[s+L] u[s] over the origins moved S rows newer, L in [0, W+S). */
    private final double[] auto;
    /** R(L) over the newer origins only, while {@link #auto} holds the older ones'. */
    private final double[] newer;
    /** D(a,b) = sum over origins t of u[t+a] u[t+b], [W][W] (a >= b). */
    private final double[] lagged;
    /** Running sums of u: prefix[i] = u[0] + ... + u[i-1]. */
    private final double[] prefix;
    private final double[] chol;
    /** Each step's lag coefficients, newest lag first, for the held-out error: [S][W]. */
    private final double[] reversed;
    /** Each step's lag coefficients summed: [S]. */
    private final double[] sumsOfLags;
    /** Four dots at a time ({@link FixedOrderDots#dots4}): of a Cholesky column's rows, and of origins, [S][4]. */
    private final double[] four = new double[4];
    private final double[] originDots;
    /** The coefficients of the last {@link #solve}, [S][W+1]: the lags oldest first, then the constant. */
    final double[] beta;

    LaggedRidge(int window, int steps, int rows) {
        this.window = window;
        this.steps = steps;
        this.p = window + 1;
        this.auto = new double[window + steps];
        this.newer = new double[window + steps];
        this.lagged = new double[window * window];
        this.prefix = new double[rows + 1];
        this.chol = new double[p * p];
        this.reversed = new double[steps * window];
        this.sumsOfLags = new double[steps];
        this.beta = new double[steps * p];
        this.originDots = new double[4 * steps];
    }

    /**
     * X'X (lower triangle) and X'Y of the centred values u, by age (from >= S, to + W <= u's used length): over the
     * origins [split, to] into fitG and fitM (a penalty is chosen by fitting on the older origins and judging on the
     * newer), and over [from, to] into g and m. Input j is lag a = W-1-j, x_t[j] = u[t+a] - u[t]; target k is u[t-k] -
     * u[t]. Every sum is a lagged product: one pass over the origins moved S rows newer gives R(L) for every lag the
     * equations need (the newer origins' added to the older's), and the sums over the origins themselves (or moved k
     * rows) differ from it by at most S products at each end: O(N (W+S)) instead of O(N W S).
     */
    void normalEquations(double[] u, int from, int split, int to, double[] fitG, double[] fitM, double[] g,
            double[] m) {
        prefix[0] = 0;
        for (int i = 0; i < to + window; i++) {
            prefix[i + 1] = prefix[i] + u[i];
        }
        lags(u, split, to, auto);
        equations(u, split, to, fitG, fitM);
        lags(u, from, split - 1, newer);
        for (int lag = 0; lag < window + steps; lag++) {
            auto[lag] += newer[lag];
        }
        equations(u, from, to, g, m);
    }

    /** R(L) over the origins [from, to] moved S rows newer into {@code into}, for every lag L in [0, W+S). */
    private void lags(double[] u, int from, int to, double[] into) {
        int lo = from - steps;
        int n = to - from + 1;
        int lag = 0;
        for (; lag + 3 < window + steps; lag += 4) {
            DOTS.dots4(u, lo + lag, lo + lag + 1, lo + lag + 2, lo + lag + 3, u, lo, n, into, lag);
        }
        for (; lag < window + steps; lag++) {
            into[lag] = dot(u, lo + lag, u, lo, n);
        }
    }

    /** The normal equations over the origins [from, to] from {@link #auto}, R over those origins, and {@link #prefix}. */
    private void equations(double[] u, int from, int to, double[] g, double[] m) {
        int n = to - from + 1;
        for (int a = 0; a < window; a++) {
            lagged[a * window] = moved(u, from, to, a, 0);
        }
        for (int a = 1; a < window; a++) {
            for (int b = 1; b <= a; b++) {
                lagged[a * window + b] = lagged[(a - 1) * window + b - 1] - u[from + a - 1] * u[from + b - 1]
                        + u[to + a] * u[to + b];
            }
        }
        for (int i = 0; i < window; i++) {
            int ai = window - 1 - i;
            for (int j = 0; j <= i; j++) {
                int aj = window - 1 - j;
                g[i * p + j] = lagged[aj * window + ai] - lagged[ai * window] - lagged[aj * window] + lagged[0];
            }
        }
        double origins = prefix[to + 1] - prefix[from];
        for (int j = 0; j < window; j++) {
            int a = window - 1 - j;
            g[window * p + j] = prefix[to + a + 1] - prefix[from + a] - origins;
        }
        g[window * p + window] = n;
        for (int k = 1; k <= steps; k++) {
            int at = (k - 1) * p;
            double cross = moved(u, from, to, k, k);
            for (int j = 0; j < window; j++) {
                int a = window - 1 - j;
                m[at + j] = moved(u, from, to, a + k, k) - cross - lagged[a * window] + lagged[0];
            }
            m[at + window] = prefix[to - k + 1] - prefix[from - k] - origins;
        }
    }

    /**
     * The sum of u[t+lag-k] u[t-k] over the origins t in [from, to] moved k rows newer (k <= S): R(lag) less the
     * products of the S-k newest moved origins R has and this sum lacks, plus those of its S-k oldest.
     */
    private double moved(double[] u, int from, int to, int lag, int k) {
        int lo = from - steps;
        int hi = to - steps + 1;
        int ends = steps - k;
        return auto[lag] - dot(u, lo + lag, u, lo, ends) + dot(u, hi + lag, u, hi, ends);
    }

    /** (X'X + penalty diag(X'X) on the lags) beta = X'Y for every step, by Cholesky, into {@link #beta}. */
    void solve(double[] g, double[] m, double penalty) {
        for (int i = 0; i < p; i++) {
            System.arraycopy(g, i * p, chol, i * p, i);
            chol[i * p + i] = g[i * p + i] * (i < window ? 1 + penalty : 1) + 1e-9;
        }
        for (int j = 0; j < p; j++) {
            double l = Math.sqrt(Math.max(chol[j * p + j] - dot(chol, j * p, chol, j * p, j), 1e-12));
            chol[j * p + j] = l;
            int i = j + 1;
            for (; i + 3 < p; i += 4) { // rows i..i+3 of column j, each its own dot with row j
                DOTS.dots4(chol, i * p, (i + 1) * p, (i + 2) * p, (i + 3) * p, chol, j * p, j, four, 0);
                for (int q = 0; q < 4; q++) {
                    chol[(i + q) * p + j] = (chol[(i + q) * p + j] - four[q]) / l;
                }
            }
            for (; i < p; i++) {
                chol[i * p + j] = (chol[i * p + j] - dot(chol, i * p, chol, j * p, j)) / l;
            }
        }
        for (int k = 0; k < steps; k++) {
            int at = k * p;
            for (int i = 0; i < p; i++) {
                beta[at + i] = (m[at + i] - dot(chol, i * p, beta, at, i)) / chol[i * p + i];
            }
            for (int i = p - 1; i >= 0; i--) {
                double s = beta[at + i];
                for (int j = i + 1; j < p; j++) {
                    s -= chol[j * p + i] * beta[at + j];
                }
                beta[at + i] = s / chol[i * p + i];
            }
        }
    }

    /** The summed error (absolute or squared) over the origins of ages [from, to] of u of {@link #beta}. */
    double heldOutError(double[] u, int from, int to, GuardError error) {
        for (int k = 0; k < steps; k++) {
            double s = 0;
            for (int j = 0; j < window; j++) {
                reversed[k * window + window - 1 - j] = beta[k * p + j];
                s += beta[k * p + j];
            }
            sumsOfLags[k] = s;
        }
        double sum = 0;
        int t = to;
        for (; t - 3 >= from; t -= 4) { // four origins' dots side by side, their errors added in the same order
            for (int k = 1; k <= steps; k++) {
                DOTS.dots4(u, t, t - 1, t - 2, t - 3, reversed, (k - 1) * window, window, originDots, 4 * (k - 1));
            }
            for (int q = 0; q < 4; q++) {
                for (int k = 1; k <= steps; k++) {
                    double y = beta[(k - 1) * p + window] + originDots[4 * (k - 1) + q]
                            - u[t - q] * sumsOfLags[k - 1];
                    sum += error.of(u[t - q - k] - u[t - q] - y);
                }
            }
        }
        for (; t >= from; t--) {
            for (int k = 1; k <= steps; k++) {
                double y = beta[(k - 1) * p + window] + dot(u, t, reversed, (k - 1) * window, window)
                        - u[t] * sumsOfLags[k - 1];
                sum += error.of(u[t - k] - u[t] - y);
            }
        }
        return sum;
    }

    /** The sum of x[xAt+i] y[yAt+i] over i < n, in {@link FixedOrderDots}' order (the same bits on every machine). */
    static double dot(double[] x, int xAt, double[] y, int yAt, int n) {
        return DOTS.dot(x, xAt, y, yAt, n);
    }

    /**
     * The sum of (x[xAt+i] - last) c[cAt+i] over i < n, each difference in float and its product in double, in the
     * order of {@link #dot}: a forecast from a key's stored values and coefficients.
     */
    static double lagDot(float[] x, int xAt, float[] c, int cAt, int n, float last) {
        return DOTS.lagDot(x, xAt, c, cAt, n, last);
    }
}
