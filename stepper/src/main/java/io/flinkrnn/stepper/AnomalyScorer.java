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
        long rows = layout.rows(st, StatePart.ANOMALY);
        if (rows == 0) {
            return Float.NaN;
        }
        long errors = rows - 1; // errors already folded in: one per row after the first
        boolean ready = errors >= MIN_ERRORS;
        float score = 0f;
        for (int c = 0; c < targets; c++) {
            int fi = layout.anomaly + c;
            int si = layout.anomaly + targets + c;
            float e = Math.abs(x[xAt + targetInputs[c]] - st[fi]);
            if (ready) {
                score = Math.max(score, ratio(e, st[si]));
            }
            learnScale(st, si, e, errors);
        }
        return ready ? score : Float.NaN;
    }

    /** {@code e} over the running mean {@code scale}: 0 for no error, the largest float where none was usual. */
    static float ratio(float e, float scale) {
        return scale > 0f ? e / scale : (e > 0f ? Float.MAX_VALUE : 0f);
    }

    /**
     * Folds {@code e} into the running mean at {@code st[at]}, which holds {@code seen} values: their plain average
     * up to {@value #WINDOW}, then an exponential average with weight 1/{@value #WINDOW}.
     */
    static void learnScale(float[] st, int at, float e, long seen) {
        st[at] += (e - st[at]) / (float) Math.min(seen + 1, WINDOW);
    }

    /** Keeps this row's one-step forecast of target {@code c} for scoring the key's next row. */
    void remember(float[] st, int c, float forecast) {
        st[layout.anomaly + c] = forecast;
    }
}
