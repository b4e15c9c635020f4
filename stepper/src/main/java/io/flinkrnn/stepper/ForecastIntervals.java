package io.flinkrnn.stepper;

/**
 * Per key, head output and coverage level, an interval around each forecast from the key's own recent errors
 * of that output: online quantile tracking of the absolute error. For output i (step k of target c) the
 * forecast issued k rows ago is resolved when the row arrives; with |e| its absolute error, the half-width q
 * moves by eta x (1[|e| > q] - (1 - coverage)) with eta = {@value #ETA} x the output's running mean absolute
 * error, so it settles where a fraction {@code coverage} of errors fall inside, and its step scales with the
 * key's own error level (no units to tune). The first resolved error starts q at 2 |e|. The interval is
 * forecast +- q. State per key: the last S origins' issued forecasts[S][O], and q and the mean absolute error
 * per output ({@link KeyLayout}).
 */
final class ForecastIntervals {
    static final float ETA = 0.1f;
    static final int SPAN = 200;
    private final KeyLayout layout;
    private final int steps;
    private final int targets;
    private final int outputs;
    private final int[] targetInputs;
    private final float miss;

    ForecastIntervals(ForecastModel model, KeyLayout layout, double coverage) {
        this.layout = layout;
        this.steps = model.steps();
        this.targets = model.targetCount();
        this.outputs = model.outputs();
        this.targetInputs = model.targetInputs();
        this.miss = (float) (1 - coverage);
    }

    private int issuedAt(int slot) {
        return layout.intervals + slot * outputs;
    }

    private int widthAt() {
        return layout.intervals + steps * outputs;
    }

    /** Resolves every issued forecast that row {@code x[xAt..]} (the key's n-th, from 0) is the target of. */
    void learn(float[] st, float[] x, int xAt) {
        long n = layout.rows(st, StatePart.INTERVALS);
        int q = widthAt();
        int mae = q + outputs;
        for (int k = 1; k <= steps && k <= n; k++) {
            int slot = (int) ((n - k) % steps);
            long m = n - k;
            float w = Math.max(1f / (m + 1), 1f / SPAN);
            for (int c = 0; c < targets; c++) {
                int i = (k - 1) * targets + c;
                float e = Math.abs(x[xAt + targetInputs[c]] - st[issuedAt(slot) + i]);
                st[mae + i] += w * (e - st[mae + i]);
                if (m == 0) {
                    st[q + i] = 2f * e;
                } else {
                    float step = ETA * st[mae + i] * ((e > st[q + i] ? 1f : 0f) - miss);
                    st[q + i] = Math.max(0f, st[q + i] + step);
                }
            }
        }
    }

    /** Remembers the forecast issued for output {@code i} of the key's n-th row; returns the half-width. */
    float issue(float[] st, int i, float forecast) {
        long n = layout.rows(st, StatePart.INTERVALS);
        st[issuedAt((int) (n % steps)) + i] = forecast;
        return st[widthAt() + i];
    }
}
