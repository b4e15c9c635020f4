package io.flinkrnn.stepper;

/**
 * A contextual surprise: how far a key's value is from what the key usually shows at this time of day. A one-step
 * forecast follows whatever the series does, so a day that keeps an ordinary level at the wrong hours (a holiday's
 * traffic, a daily cycle that stops) gives ordinary one-step errors; the distance from the time of day's usual
 * value does not. Per target the day is cut into {@value #SLOTS} slots of {@value #SLOT_MINUTES} minutes of event
 * time (UTC); each slot keeps an exponential average of the values that fell in it (weight {@value #RATE}, so
 * about the last three days count), and the surprise is the distance from the row's slot over the running mean of
 * those distances (the {@link AnomalyScorer}'s scale: a plain average over the first 200, then an exponential one),
 * the largest over the targets. No surprise (NaN) while a slot has no value yet or a target has fewer than {@value
 * AnomalyScorer#MIN_ERRORS} distances.
 *
 * <p>State per target: the distances seen, their scale, then the slots' averages (NaN: no value yet), {@value
 * #PER_TARGET} floats. Only for models with an hour-of-day input ({@link TimeFeatures#daily()}): series sampled
 * often enough to have a daily cycle. Measured on NAB in docs/BENCHMARKS.md.
 */
final class DailyProfile {
    static final int SLOT_MINUTES = 5;
    static final int SLOTS = 24 * 60 / SLOT_MINUTES;
    static final float RATE = 0.3f;
    static final int PER_TARGET = 2 + SLOTS;
    private static final long SLOT_MS = SLOT_MINUTES * 60_000L;
    private static final long DAY_MS = 86_400_000L;
    private final int targets;
    private final int[] targetInputs;

    DailyProfile(ForecastModel model) {
        this.targets = model.targetCount();
        this.targetInputs = model.targetInputs();
    }

    /** Floats a key keeps for this model: none without an hour-of-day input. */
    static int size(ForecastModel m) {
        return m.timeFeatures().daily() ? m.targetCount() * PER_TARGET : 0;
    }

    /**
     * The surprise of row {@code x[xAt..]} at {@code eventTime}, the profile's n-th row (its owner's count), and
     * folds the row into its slot.
     */
    float surprise(float[] st, int at, long n, float[] x, int xAt, long eventTime) {
        if (n == 0) {
            for (int c = 0; c < targets; c++) {
                java.util.Arrays.fill(st, at + c * PER_TARGET + 2, at + (c + 1) * PER_TARGET, Float.NaN);
            }
        }
        int slot = (int) (Math.floorMod(eventTime, DAY_MS) / SLOT_MS);
        float surprise = Float.NaN;
        for (int c = 0; c < targets; c++) {
            int seen = at + c * PER_TARGET;
            int scale = seen + 1;
            int usual = seen + 2 + slot;
            float v = x[xAt + targetInputs[c]];
            float u = st[usual];
            if (Float.isNaN(u)) {
                st[usual] = v;
                continue;
            }
            st[usual] = u + RATE * (v - u);
            float e = Math.abs(v - u);
            long k = (long) st[seen];
            if (k >= AnomalyScorer.MIN_ERRORS) {
                float r = AnomalyScorer.ratio(e, st[scale]);
                surprise = Float.isNaN(surprise) ? r : Math.max(surprise, r);
            }
            AnomalyScorer.learnScale(st, scale, e, k);
            if (st[seen] < 16_777_216f) {
                st[seen] += 1f;
            }
        }
        return surprise;
    }
}
