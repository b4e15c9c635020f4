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
 * (ties go to the larger g, so a fresh key trusts the model). Absolute error by default, since forecasts are mostly
 * judged by MAE: a least-squares shrinkage still loses in MAE on spiky series; a model trained and judged by squared
 * error has its guard judge by that instead ({@link GuardRules#error()}; every error below, and the recent factor
 * squared). State per key: the last S origins' target values and proposed changes, and {@value #G} means per output
 * ({@link KeyLayout}); no look-ahead: a forecast uses only errors of forecasts already resolved.
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
 *
 * <p>With a level span L ({@link ForecastModel#guardLevel()}) steps 2 and on have a sixth candidate: the key's
 * level, the exponentially weighted mean of its values (weight max(1/(m+1), 1/L) after m rows), chosen when its
 * long-run error is below every blend's, and checked against the last value over the recent window like them
 * (a fallback still picks among the blends). Why: on noise around a level the model's change is mostly noise,
 * so the blends end at the last value, which carries all of the latest row's noise; the level averages it out,
 * and that matters more the further ahead. Not for step 1, where the model's change and the last value hold
 * what the level averages away; there it lost on validation. The level part keeps its own row count, so a key
 * that gains it (a model update) warms it up from its next row instead of comparing a zero error.
 *
 * <p>With an evidence threshold k ({@link ForecastModel#guardEvidence()}) step 1 leaves the last value only for a
 * blend whose advantage is clear: per blend the exponentially weighted mean and mean square of its error minus
 * the last value's on the same rows (paired; weight max(1/(m+1), 1/{@value #SPAN}) after m of them), and the blend
 * qualifies when that mean plus k standard errors (the variance with n/(n-1), n = min(m, {@value #SPAN}); none
 * before two) is still below zero; the best qualifying blend by long-run error is used, else the last value.
 * Why: on a series where the model's one-step change barely matters (on/off bursts) the long-run errors of the
 * last value and a small blend are a near tie, decided by the last few bursts; following the tie cost such a key
 * 2-3 % against the last value, while a clear advantage still wins it. The part keeps its own count, so a key
 * that gains it (a model update) starts at the last value and gathers evidence as a new key does.
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
    private final int level;
    private final float evidence;
    private final GuardError error;
    /** {@link #RECENT_FACTOR} as a ratio of errors by {@link #error}. */
    private final float recentFactor;
    private final LinearForecaster linear;
    /** The network's forecasts that the row being learned resolves, for the linear model's mixes. */
    private final float[] network;
    /** Which candidate made the last forecast {@link #apply} returned. */
    private ForecastSource source = ForecastSource.NETWORK;

    ForecastGuard(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.steps = model.steps();
        this.targets = model.targetCount();
        this.outputs = model.outputs();
        this.targetInputs = model.targetInputs();
        this.recent = model.guardRecent();
        this.level = model.guardLevel();
        this.evidence = model.guardEvidence();
        this.error = model.guardError();
        this.recentFactor = error.ratio(RECENT_FACTOR);
        this.linear = model.guardLinear() > 0 ? new LinearForecaster(model, layout) : null;
        this.network = new float[outputs];
    }

    /** Floats of the evidence test's part: its count; per target and blend above 0, the difference's mean, square. */
    static int evidenceFloats(ForecastModel model) {
        return model.guardEvidence() > 0 ? 1 + model.targetCount() * (G - 1) * 2 : 0;
    }

    private int evidenceAt(int c, int g) {
        return layout.guardEvidence + 1 + (c * (G - 1) + g - 1) * 2;
    }

    /** Floats of the recent window's means: {@value #G} per output, after every output's long-run means. */
    static int recentFloats(ForecastModel model) {
        return model.guardRecent() > 0 ? G * model.outputs() : 0;
    }

    /**
     * Floats of the level's part: rows it has seen; the level per target[T]; the last S origins' levels[S][T];
     * per output of steps 2 and on its long-run mean error, and with a recent window the recent one.
     */
    static int levelFloats(ForecastModel model) {
        if (model.guardLevel() == 0) {
            return 0;
        }
        int later = model.outputs() - model.targetCount();
        return 1 + model.targetCount() * (1 + model.steps()) + later * (model.guardRecent() > 0 ? 2 : 1);
    }

    private int levelAt(int c) {
        return layout.guardLevel + 1 + c;
    }

    private int levelRingAt(int slot) {
        return layout.guardLevel + 1 + targets + slot * targets;
    }

    /** The level's long-run error of output i (i >= T); its recent error follows all of those. */
    private int levelMeanAt(int i) {
        return layout.guardLevel + 1 + targets * (1 + steps) + i - targets;
    }

    private int levelRecentAt(int i) {
        return levelMeanAt(i) + outputs - targets;
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

    /** The guard's linear forecaster, or null when the model has none. */
    LinearForecaster linear() {
        return linear;
    }

    /**
     * Resolves every pending forecast that row {@code x[xAt..]} (the key's n-th, from 0) is the target of; {@code
     * history} is the key's ({@link KeyState#history()}), which the linear forecaster reads when it says so. Returns
     * whether it wrote into {@code history}.
     */
    boolean learn(float[] st, float[] history, float[] x, int xAt) {
        long n = layout.rows(st, StatePart.GUARD);
        int means = meansAt();
        boolean evidenced = evidence > 0 && n >= 1;
        float we = evidenced ? Math.max(1f / (st[layout.guardEvidence] + 1), 1f / SPAN) : 0f;
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
                if (linear != null) {
                    network[i] = st[lastAt(slot) + c] + d;
                }
                for (int g = 0; g < G; g++) {
                    float err = error.of(e - BLENDS[g] * d);
                    st[at + g] += w * (err - st[at + g]);
                    if (recent > 0) {
                        st[rat + g] += wr * (err - st[rat + g]);
                    }
                    if (evidenced && k == 1 && g > 0) {
                        addEvidence(st, evidenceAt(c, g), err - error.of(e), we);
                    }
                }
            }
        }
        if (evidenced) {
            KeyLayout.count(st, layout.guardEvidence);
        }
        if (level > 0) {
            learnLevel(st, x, xAt);
        }
        return linear != null && linear.learn(st, history, x, xAt, network);
    }

    /**
     * Adds one paired difference (a blend's one-step error minus the last value's) to its mean and square; a square
     * past float's range counts as its largest value, so a glitch leaves the test finite (and slow to trust again).
     */
    private static void addEvidence(float[] st, int at, float diff, float w) {
        st[at] += w * (diff - st[at]);
        st[at + 1] += w * (Math.min(diff * diff, Float.MAX_VALUE) - st[at + 1]);
    }

    /** Resolves the level's pending forecasts of steps 2 and on, then moves the level to this row's values. */
    private void learnLevel(float[] st, float[] x, int xAt) {
        int seenAt = layout.guardLevel;
        long m = (long) st[seenAt];
        for (int k = 2; k <= steps && k <= m; k++) {
            int slot = (int) ((m - k) % steps);
            float w = Math.max(1f / (m - k + 1), 1f / SPAN);
            float wr = recent > 0 ? Math.max(1f / (m - k + 1), 1f / recent) : 0f;
            for (int c = 0; c < targets; c++) {
                int i = (k - 1) * targets + c;
                float err = error.of(x[xAt + targetInputs[c]] - st[levelRingAt(slot) + c]);
                st[levelMeanAt(i)] += w * (err - st[levelMeanAt(i)]);
                if (recent > 0) {
                    st[levelRecentAt(i)] += wr * (err - st[levelRecentAt(i)]);
                }
            }
        }
        float w = Math.max(1f / (m + 1), 1f / level);
        for (int c = 0; c < targets; c++) {
            st[levelAt(c)] += w * (x[xAt + targetInputs[c]] - st[levelAt(c)]);
            st[levelRingAt((int) (m % steps)) + c] = st[levelAt(c)];
        }
        layout.countRing(st, seenAt);
    }

    /**
     * Shrinks the model's forecast {@code f} of output {@code i} towards the last value {@code last} and
     * remembers the proposed change for {@link #learn}; call for every output of the key's n-th row.
     */
    float apply(float[] st, int i, float last, float f) {
        long n = layout.rows(st, StatePart.GUARD);
        int slot = (int) (n % steps);
        float d = f - last;
        st[changeAt(slot) + i] = d;
        if (i < targets) {
            st[lastAt(slot) + i] = last;
        }
        int at = meansAt() + i * G;
        int best = evidence > 0 && i < targets ? clearlyBest(st, at, i) : smallest(st, at);
        // Only once the level has had a forecast of this step resolved: a key that gained it has warm blends.
        boolean byLevel = level > 0 && i >= targets && st[layout.guardLevel] > i / targets + 1
                && st[levelMeanAt(i)] < st[at + best];
        boolean byLinear = false;
        int mix = 0;
        if (linear != null && linear.ready(st)) {
            mix = linear.best(st, i);
            byLinear = linear.error(st, i, mix) < (byLevel ? st[levelMeanAt(i)] : st[at + best]);
        }
        if (recent > 0) {
            float recentError = byLinear ? linear.recentError(st, i, mix) : byLevel ? st[levelRecentAt(i)]
                    : st[recentAt(i) + best];
            if (losingLately(recentError, st[recentAt(i)])) {
                best = smallest(st, recentAt(i));
                byLevel = false;
                byLinear = false;
            } else if (i >= targets) {
                int first = i % targets;
                int firstAt = recentAt(first);
                if (losingLately(st[firstAt + smallest(st, meansAt() + first * G)], st[firstAt])) {
                    best = 0;
                    byLevel = false;
                    byLinear = false;
                }
            }
        }
        if (byLinear) {
            source = mix == 0 ? ForecastSource.LINEAR : ForecastSource.LINEAR_MIX;
            return LinearForecaster.mix(mix, linear.forecast(st, i), f);
        }
        source = byLevel ? ForecastSource.LEVEL : best == G - 1 ? ForecastSource.NETWORK
                : best == 0 ? ForecastSource.LAST_VALUE : ForecastSource.BLEND;
        return byLevel ? st[levelAt(i % targets)] : last + BLENDS[best] * d;
    }

    /** Which candidate made the forecast that {@link #apply} returned last. */
    ForecastSource source() {
        return source;
    }

    /**
     * Step 1 under the evidence test: the blend with the smallest long-run error among those whose paired
     * advantage over the last value is below zero by more than {@link #evidence} standard errors; else 0.
     */
    private int clearlyBest(float[] st, int at, int c) {
        double count = Math.min(st[layout.guardEvidence], SPAN);
        if (count < 2) {
            return 0;
        }
        int best = 0;
        for (int g = G - 1; g >= 1; g--) {
            int e = evidenceAt(c, g);
            double mean = st[e];
            double variance = Math.max(st[e + 1] - mean * mean, 0.0) * count / (count - 1);
            if (mean + evidence * Math.sqrt(variance / count) < 0 && st[at + g] < st[at + best]) {
                best = g;
            }
        }
        return best;
    }

    /** Whether a candidate's recent misses are over {@value #RECENT_FACTOR} times the last value's in size. */
    private boolean losingLately(float recentError, float lastValueRecentError) {
        return recentError > recentFactor * lastValueRecentError;
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
