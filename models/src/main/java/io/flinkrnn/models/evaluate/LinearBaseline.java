package io.flinkrnn.models.evaluate;

/**
 * The linear baseline every forecast figure is set beside: ridge regression of the next H values on the last
 * W values, both taken relative to the last value (NLinear-style: a zero model forecasts the last value),
 * with an intercept, fitted per series on the rows before the range it is scored on. The regularisation is
 * chosen from a grid on a held-back part of the fitting rows (or on rows the caller names), then the model is
 * refitted on all fitting rows. Solved exactly (Cholesky on the W x W normal equations), in double.
 */
public final class LinearBaseline {
    static final double[] LAMBDAS = {1e-3, 1e-2, 1e-1, 1, 10, 100, 1000, 1e4};
    /** The lags the reports use: the 96 of the published NLinear/DLinear protocol. */
    public static final int WINDOW = 96;
    private final int window;
    private final int horizon;
    private final double lambda;
    /** [W + 1][H]: W relative lags then the intercept. */
    private final double[] beta;

    private LinearBaseline(int window, int horizon, double lambda, double[] beta) {
        this.window = window;
        this.horizon = horizon;
        this.lambda = lambda;
        this.beta = beta;
    }

    public double lambda() {
        return lambda;
    }

    public int window() {
        return window;
    }

    /**
     * Fits on origins whose inputs and targets lie in rows [0, fitEnd) and picks lambda on origins whose targets
     * lie in [selectFrom, selectTo); with selectFrom < 0 the last fifth of the fitting rows is held back for it.
     */
    public static LinearBaseline fit(double[] v, int window, int horizon, int fitEnd, int selectFrom, int selectTo) {
        int w = Math.max(1, Math.min(window, fitEnd / 4));
        int holdFrom = selectFrom >= 0 ? selectFrom : fitEnd - Math.max(horizon + w, fitEnd / 5);
        int holdTo = selectFrom >= 0 ? selectTo : fitEnd;
        int trainEnd = selectFrom >= 0 ? fitEnd : holdFrom;
        double best = LAMBDAS[LAMBDAS.length / 2];
        double bestErr = Double.POSITIVE_INFINITY;
        if (trainEnd - w - horizon > 2 * (w + 1)) {
            double[][] normal = normal(v, w, horizon, 0, trainEnd);
            for (double l : LAMBDAS) {
                double[] b = solve(normal, w, horizon, l);
                double err = sse(v, w, horizon, b, holdFrom, holdTo);
                if (err < bestErr) {
                    bestErr = err;
                    best = l;
                }
            }
        }
        double[][] all = normal(v, w, horizon, 0, fitEnd);
        return new LinearBaseline(w, horizon, best, solve(all, w, horizon, best));
    }

    /**
     * The baseline the reports set beside a model trained on rows [0, trainEnd) and stopped early on [trainEnd,
     * valEnd): the {@link #WINDOW} lags fitted on the training rows, the regularisation chosen on the validation rows
     * when they hold at least one whole horizon, else on the training rows' last fifth.
     */
    public static LinearBaseline forSplit(double[] v, int horizon, int trainEnd, int valEnd) {
        return fit(v, WINDOW, horizon, trainEnd, trainEnd, valEnd > trainEnd + horizon ? valEnd : -1);
    }

    /** The forecast of step k (1..H) from origin t (needs t >= W - 1). */
    public double forecast(double[] v, int t, int k) {
        double last = v[t];
        double y = beta[window * horizon + (k - 1)];
        for (int j = 0; j < window; j++) {
            y += (v[t - window + 1 + j] - last) * beta[j * horizon + (k - 1)];
        }
        return last + y;
    }

    /** X'X and X'Y over origins t with inputs t-W+1.. >= 0 and targets t+H < end; row W is the intercept. */
    private static double[][] normal(double[] v, int w, int h, int from, int end) {
        int n = w + 1;
        double[] xtx = new double[n * n];
        double[] xty = new double[n * h];
        double[] x = new double[n];
        for (int t = Math.max(from, w - 1); t + h < end; t++) {
            double last = v[t];
            for (int j = 0; j < w; j++) {
                x[j] = v[t - w + 1 + j] - last;
            }
            x[w] = 1;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b <= a; b++) {
                    xtx[a * n + b] += x[a] * x[b];
                }
                for (int k = 1; k <= h; k++) {
                    xty[a * h + k - 1] += x[a] * (v[t + k] - last);
                }
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                xtx[a * n + b] = xtx[b * n + a];
            }
        }
        return new double[][] {xtx, xty};
    }

    /** (X'X + lambda I) beta = X'Y by Cholesky; the intercept is not penalised. */
    private static double[] solve(double[][] normal, int w, int h, double lambda) {
        int n = w + 1;
        double[] a = normal[0].clone();
        for (int i = 0; i < w; i++) {
            a[i * n + i] += lambda;
        }
        a[w * n + w] += 1e-9;
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= a[j * n + k] * a[j * n + k];
            }
            double l = Math.sqrt(Math.max(d, 1e-12));
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = s / l;
            }
        }
        double[] beta = normal[1].clone();
        for (int c = 0; c < h; c++) {
            for (int i = 0; i < n; i++) {
                double s = beta[i * h + c];
                for (int k = 0; k < i; k++) {
                    s -= a[i * n + k] * beta[k * h + c];
                }
                beta[i * h + c] = s / a[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = beta[i * h + c];
                for (int k = i + 1; k < n; k++) {
                    s -= a[k * n + i] * beta[k * h + c];
                }
                beta[i * h + c] = s / a[i * n + i];
            }
        }
        return beta;
    }

    private static double sse(double[] v, int w, int h, double[] beta, int from, int to) {
        LinearBaseline m = new LinearBaseline(w, h, 0, beta);
        double sse = 0;
        for (int t = Math.max(from - 1, w - 1); t + h < to; t++) {
            for (int k = 1; k <= h; k++) {
                double e = m.forecast(v, t, k) - v[t + k];
                sse += e * e;
            }
        }
        return sse;
    }
}
