package io.flinkrnn.stepper;

/**
 * Anomaly scores from forecast errors, per key, kept in the key's features so they survive failover and give
 * the same bits on replay. When an observation arrives, each target's error is its distance from the one-step
 * forecast the key made at its previous step, divided by the key's running mean absolute error for that
 * target; the score is the largest ratio (1 = an ordinary error; 10 = ten times the usual). The running mean
 * is a plain average over the first {@value #WINDOW} errors, then an exponential average with weight
 * 1/{@value #WINDOW}; there is no score until {@value #MIN_ERRORS} errors have been seen.
 */
final class AnomalyScorer {
    static final int WINDOW = 200;
    static final int MIN_ERRORS = 10;
    private final KeyLayout layout;
    private final int targets;
    private final int[] targetInputs;

    AnomalyScorer(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.targets = model.targetCount();
        this.targetInputs = model.targetInputs();
    }

    /**
     * Scores row {@code x[xAt..]} against the key's last one-step forecast and folds the errors into its
     * scale; NaN while there is no forecast yet or too few errors. Call before the row is stepped.
     */
    float scoreAndLearn(float[] st, float[] x, int xAt) {
        long rows = KeyLayout.rows(st);
        if (rows == 0) {
            return Float.NaN;
        }
        long errors = rows - 1; // errors already folded in: one per row after the first
        boolean ready = errors >= MIN_ERRORS;
        float n = (float) Math.min(errors + 1, WINDOW);
        float score = 0f;
        for (int c = 0; c < targets; c++) {
            int fi = layout.anomaly + c;
            int si = layout.anomaly + targets + c;
            float e = Math.abs(x[xAt + targetInputs[c]] - st[fi]);
            if (ready) {
                float ratio = st[si] > 0f ? e / st[si] : (e > 0f ? Float.MAX_VALUE : 0f);
                score = Math.max(score, ratio);
            }
            st[si] += (e - st[si]) / n;
        }
        return ready ? score : Float.NaN;
    }

    /** Keeps this row's one-step forecast of target {@code c} for scoring the key's next row. */
    void remember(float[] st, int c, float forecast) {
        st[layout.anomaly + c] = forecast;
    }
}
