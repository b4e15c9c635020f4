package io.flinkrnn.stepper;

/**
 * Per key and head output, how much of the model's change from the last value to trust, learned online
 * from the key's own errors, so that on a series the model does not fit the forecast falls back towards the
 * last value instead of losing to it.
 *
 * <p>For output i (step k of target c) the model proposes a change d from the key's last value x_t. When
 * x_{t+k} arrives, the last value's error e = x_{t+k} - x_t is known, and the best shrinkage of d in the
 * least-squares sense is g* = E[d e] / E[d^2]. The guard keeps exponentially weighted means of d e and d^2
 * (weight max(1/(m+1), 1/{@value #SPAN}) after m resolved forecasts) and forecasts x_t + g d with g = g*
 * clipped to [0, 1]: 1 trusts the model fully, 0 is the last value. Until the first forecast of an output is
 * resolved g is 1. State per key: the last S origins' target values and changes, and two means per output
 * ({@link KeyLayout}); no look-ahead: a forecast uses only errors of forecasts already resolved.
 */
final class ForecastGuard {
    static final int SPAN = 200;
    private final KeyLayout layout;
    private final int steps;
    private final int targets;
    private final int outputs;
    private final int[] targetInputs;

    ForecastGuard(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.steps = model.steps();
        this.targets = model.targetCount();
        this.outputs = model.outputs();
        this.targetInputs = new int[targets];
        for (int c = 0; c < targets; c++) {
            targetInputs[c] = model.targetInput(c);
        }
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

    /** Resolves every pending forecast that row {@code x[xAt..]} (the key's n-th, from 0) is the target of. */
    void learn(float[] st, float[] x, int xAt) {
        long n = KeyLayout.rows(st);
        int means = meansAt();
        for (int k = 1; k <= steps && k <= n; k++) {
            int slot = (int) ((n - k) % steps);
            float w = Math.max(1f / (n - k + 1), 1f / SPAN);
            for (int c = 0; c < targets; c++) {
                int i = (k - 1) * targets + c;
                float e = x[xAt + targetInputs[c]] - st[lastAt(slot) + c];
                float d = st[changeAt(slot) + i];
                st[means + i] += w * (d * e - st[means + i]);
                st[means + outputs + i] += w * (d * d - st[means + outputs + i]);
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
        int means = meansAt();
        float dd = st[means + outputs + i];
        float g = dd > 0f ? Math.max(0f, Math.min(1f, st[means + i] / dd)) : 1f;
        return last + g * d;
    }
}
