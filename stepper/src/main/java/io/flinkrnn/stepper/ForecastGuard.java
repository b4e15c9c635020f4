package io.flinkrnn.stepper;

/**
 * Per key and head output, how much of the model's change from the last value to trust, learned online
 * from the key's own errors, so that on a series the model does not fit the forecast falls back towards the
 * last value instead of losing to it.
 *
 * <p>For output i (step k of target c) the model proposes a change d from the key's last value x_t. The guard
 * keeps, for each of the blends x_t + g d with g in {@link #BLENDS} (0 is the last value, 1 the model), the
 * exponentially weighted mean absolute error of its past forecasts of that output (weight max(1/(m+1),
 * 1/{@value #SPAN}) after m resolved forecasts), and forecasts with the blend whose error has been smallest
 * (ties go to the larger g, so a fresh key trusts the model). Absolute error, since forecasts are judged by
 * MAE: a least-squares shrinkage still loses in MAE on spiky series. State per key: the last S origins' target
 * values and proposed changes, and {@value #G} means per output ({@link KeyLayout}); no look-ahead: a forecast
 * uses only errors of forecasts already resolved.
 *
 * <p>With a recent window R ({@link ForecastModel#guardRecent()}) each blend also has a second mean with
 * weight max(1/(m+1), 1/R), and when the long-run choice's recent error is more than {@value #RECENT_FACTOR}
 * times the last value's, the blend with the smallest recent error is used. Why: after a regime change (a
 * level shift the model reads as a spike and forecasts to revert) the long-run means still hold {@value
 * #SPAN} rows of the model doing well and need many rows of large errors to turn; the recent means turn
 * within a few. The factor keeps the long-run choice through the ordinary noise of a short window: falling
 * back whenever the recent error merely exceeded the last value's cost more accuracy on the keys the model
 * wins than it saved. A step k > 1 also falls back to the last value while the same target's one-step
 * forecasts are losing so: a regime change shows in the one-step errors at once, in step k's own only k rows
 * later. Another {@value #G} floats per output.
 */
final class ForecastGuard {
    static final int SPAN = 200;
    static final float[] BLENDS = {0f, 0.25f, 0.5f, 0.75f, 1f};
    static final int G = 5;
    static final float RECENT_FACTOR = 2f;
    private final KeyLayout layout;
    private final int steps;
    private final int targets;
    private final int outputs;
    private final int[] targetInputs;
    private final int recent;

    ForecastGuard(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.steps = model.steps();
        this.targets = model.targetCount();
        this.outputs = model.outputs();
        this.targetInputs = model.targetInputs();
        this.recent = model.guardRecent();
    }

    /** Floats of the recent window's means: {@value #G} per output, after every output's long-run means. */
    static int recentFloats(ForecastModel model) {
        return model.guardRecent() > 0 ? G * model.outputs() : 0;
    }

    private int lastAt(int slot) {
        return layout.guard + slot * targets;
    }

    private int changeAt(int slot) {
        return layout.guard + steps * targets + slot * outputs;
    }

    private int meansAt() {
        return layout.guard + steps * targets + steps * outputs;
    }

    private int recentAt(int i) {
        return layout.guardRecent + i * G;
    }

    /** Resolves every pending forecast that row {@code x[xAt..]} (the key's n-th, from 0) is the target of. */
    void learn(float[] st, float[] x, int xAt) {
        long n = KeyLayout.rows(st);
        int means = meansAt();
        for (int k = 1; k <= steps && k <= n; k++) {
            int slot = (int) ((n - k) % steps);
            float w = Math.max(1f / (n - k + 1), 1f / SPAN);
            float wr = recent > 0 ? Math.max(1f / (n - k + 1), 1f / recent) : 0f;
            for (int c = 0; c < targets; c++) {
                int i = (k - 1) * targets + c;
                float e = x[xAt + targetInputs[c]] - st[lastAt(slot) + c];
                float d = st[changeAt(slot) + i];
                int at = means + i * G;
                int rat = recentAt(i);
                for (int g = 0; g < G; g++) {
                    float err = Math.abs(e - BLENDS[g] * d);
                    st[at + g] += w * (err - st[at + g]);
                    if (recent > 0) {
                        st[rat + g] += wr * (err - st[rat + g]);
                    }
                }
            }
        }
    }

    /**
     * Shrinks the model's forecast {@code f} of output {@code i} towards the last value {@code last} and
     * remembers the proposed change for {@link #learn}; call for every output of the key's n-th row.
     */
    float apply(float[] st, int i, float last, float f) {
        long n = KeyLayout.rows(st);
        int slot = (int) (n % steps);
        float d = f - last;
        st[changeAt(slot) + i] = d;
        if (i < targets) {
            st[lastAt(slot) + i] = last;
        }
        int at = meansAt() + i * G;
        int best = smallest(st, at);
        if (recent > 0) {
            if (losingLately(st, recentAt(i), best)) {
                best = smallest(st, recentAt(i));
            } else if (i >= targets) {
                int first = i % targets;
                if (losingLately(st, recentAt(first), smallest(st, meansAt() + first * G))) {
                    best = 0;
                }
            }
        }
        return last + BLENDS[best] * d;
    }

    /** Whether blend {@code g}'s recent error at {@code at} is over {@value #RECENT_FACTOR} times the last value's. */
    private static boolean losingLately(float[] st, int at, int g) {
        return st[at + g] > RECENT_FACTOR * st[at];
    }

    /** The blend with the smallest of the {@value #G} means at {@code at}; ties go to the larger blend. */
    private static int smallest(float[] st, int at) {
        int best = G - 1;
        for (int g = G - 2; g >= 0; g--) {
            if (st[at + g] < st[at + best]) {
                best = g;
            }
        }
        return best;
    }
}
