package io.flinkrnn.stepper;

/**
 * A fast test for sudden changes, so that a flag comes within a few rows of a spike or a level shift. The anomaly
 * likelihood ({@link AnomalyLikelihood}) judges a 10-row average against months of history: right for ranking
 * (NAB), slow for a single spike, which it dilutes tenfold. This test looks at two statistics per target, each
 * over its own running mean absolute value (the {@link AnomalyScorer}'s: a plain average over the first 200, then an
 * exponential one with that weight), and the surprise is the larger ratio:
 *
 * <ul>
 *   <li>the row's one-step error: the {@link AnomalyScorer}'s raw score (a spike);
 *   <li>the mean error of the last {@value #WINDOW} rows against the forecasts the key made for them from the
 *       {@value #WINDOW} origins just before the window (a shift: the one-step forecast follows a new level after
 *       one row, so the one-step error shows a shift once; forecasts issued before it show it on every row, and
 *       averaging 3 x 3 of them halves the noise of the last value they start from). Needs forecasts of
 *       {@value #SPAN} steps; a model with fewer steps has the first statistic only.
 * </ul>
 *
 * No surprise (NaN) for the first {@value #MIN_ROWS} rows the test has seen of a key, while the scales are still
 * rough. State: the rows it has seen (its own count, so that a key restored from a version without this test,
 * whose features are extended with zeros, warms up again instead of judging zeros as forecasts), then per target
 * the last {@value #SPAN} origins' forecasts of {@value #SPAN} steps, the last {@value #WINDOW} - 1 values and
 * the scale (1 + T x ({@value #SPAN} x {@value #SPAN} + {@value #WINDOW}) floats). Measured on the demo's
 * generator and NAB in docs/BENCHMARKS.md.
 */
final class SurpriseTest {
    static final int WINDOW = 3;
    static final int SPAN = 2 * WINDOW - 1;
    static final int PER_TARGET = SPAN * SPAN + WINDOW;
    static final int MIN_ROWS = 100;
    private final KeyLayout layout;
    private final int targets;
    private final int[] targetInputs;
    private final boolean windowed;

    SurpriseTest(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.targets = model.targetCount();
        this.targetInputs = model.targetInputs();
        this.windowed = model.steps() >= SPAN;
    }

    /** Floats a key's features hold for this test: none when the model forecasts fewer than {@value #SPAN} steps. */
    static int size(ForecastModel m) {
        return m.steps() >= SPAN ? 1 + m.targetCount() * PER_TARGET : 0;
    }

    /**
     * The surprise of the key's current row {@code x[xAt..]}, given its raw score (NaN: none), and folds the row in.
     * Call before the row is stepped, after the raw score.
     */
    float test(float[] st, float raw, float[] x, int xAt) {
        long n = windowed ? (long) st[layout.surprise] : layout.rows(st, StatePart.ANOMALY);
        float surprise = n >= MIN_ROWS && !Float.isNaN(raw) ? raw : Float.NaN;
        if (!windowed) {
            return surprise;
        }
        for (int c = 0; c < targets; c++) {
            int at = layout.surprise + 1 + c * PER_TARGET;
            int values = at + SPAN * SPAN;
            int scale = values + WINDOW - 1;
            float v = x[xAt + targetInputs[c]];
            if (n >= SPAN) {
                float sum = 0f;
                for (int j = 0; j < WINDOW; j++) {
                    long o = n - WINDOW - j;
                    int origin = at + (int) (o % SPAN) * SPAN;
                    for (int i = 0; i < WINDOW; i++) {
                        long row = n - WINDOW + 1 + i;
                        float actual = row == n ? v : st[values + (int) (row % (WINDOW - 1))];
                        sum += actual - st[origin + (int) (row - o - 1)];
                    }
                }
                float a = Math.abs(sum / (WINDOW * WINDOW));
                long seen = n - SPAN;
                if (n >= MIN_ROWS) {
                    float ratio = AnomalyScorer.ratio(a, st[scale]);
                    surprise = Float.isNaN(surprise) ? ratio : Math.max(surprise, ratio);
                }
                AnomalyScorer.learnScale(st, scale, a, seen);
            }
            st[values + (int) (n % (WINDOW - 1))] = v;
        }
        return surprise;
    }

    /**
     * Keeps the forecasts just issued at the key's current row (step-major {@code f[fAt..]}) for the windows to
     * come, and counts the row. Call after the row is stepped.
     */
    void remember(float[] st, float[] f, int fAt) {
        if (!windowed) {
            return;
        }
        long n = (long) st[layout.surprise];
        for (int c = 0; c < targets; c++) {
            int origin = layout.surprise + 1 + c * PER_TARGET + (int) (n % SPAN) * SPAN;
            for (int s = 0; s < SPAN; s++) {
                st[origin + s] = f[fAt + s * targets + c];
            }
        }
        layout.countRing(st, layout.surprise);
    }
}
