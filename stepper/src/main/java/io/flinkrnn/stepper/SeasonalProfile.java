package io.flinkrnn.stepper;

/**
 * A contextual surprise: how far a key's value is from what the key usually shows at this point of a cycle. A
 * one-step forecast follows whatever the series does, so a day that keeps an ordinary level at the wrong hours (a
 * holiday's traffic, a daily cycle that stops) gives ordinary one-step errors; the distance from the usual value
 * for that time does not. Two cycles: the {@link #DAILY} profile cuts the day into 288 slots of 5 minutes of event
 * time (UTC); the {@link #WEEKLY} one cuts the week into 84 slots of 2 hours, so that a weekday that looks like a
 * Sunday (a public holiday) is surprising though each of its hours is ordinary for some day. Each slot keeps an
 * exponential average of the values that fell in it (weight {@value #RATE}, so about the last three visits
 * count), and the surprise is the distance from the row's slot over the running mean of those distances (the
 * {@link AnomalyScorer}'s scale: a plain average over the first 200, then an exponential one), the largest over
 * the targets. No surprise (NaN) while a slot has no value yet or a target has fewer than {@value
 * AnomalyScorer#MIN_ERRORS} distances.
 *
 * <p>State per target: the distances seen, their scale, then the slots' averages (NaN: no value yet), {@link
 * #perTarget()} floats. Only for models whose inputs say the series has the cycle ({@link #of}). Measured on NAB
 * in docs/BENCHMARKS.md.
 */
final class SeasonalProfile {
    static final float RATE = 0.3f;
    private static final long DAY_MS = 86_400_000L;
    /** The time of day in 5-minute slots. */
    static final Cycle DAILY = new Cycle(DAY_MS, 5 * 60_000L);
    /** The time of week in 2-hour slots: coarser than the day's, as each slot is visited 7 times less often. */
    static final Cycle WEEKLY = new Cycle(7 * DAY_MS, 2 * 3_600_000L);

    /** A cycle of event time cut into slots of equal length. */
    record Cycle(long periodMs, long slotMs) {
        int slots() {
            return (int) (periodMs / slotMs);
        }
    }

    private final Cycle cycle;
    private final int targets;
    private final int[] targetInputs;

    private SeasonalProfile(Cycle cycle, ForecastModel model) {
        this.cycle = cycle;
        this.targets = model.targetCount();
        this.targetInputs = model.targetInputs();
    }

    /**
     * The profile of {@code cycle} for this model, or null where its inputs do not say the series has one: the
     * daily one needs an hour-of-day input ({@link TimeFeatures#daily()}), the weekly one the day of week too
     * ({@link TimeFeatures#weekly()}; sub-daily series, whose weeks a daily input alone does not tell apart).
     */
    static SeasonalProfile of(Cycle cycle, ForecastModel model) {
        TimeFeatures t = model.timeFeatures();
        boolean has = cycle == WEEKLY ? t.daily() && t.weekly() : t.daily();
        return has ? new SeasonalProfile(cycle, model) : null;
    }

    /** Floats a key keeps for one target. */
    int perTarget() {
        return 2 + cycle.slots();
    }

    /** Floats a key keeps for this profile. */
    int size() {
        return targets * perTarget();
    }

    /**
     * The surprise of row {@code x[xAt..]} at {@code eventTime}, the profile's n-th row (its owner's count), and
     * folds the row into its slot.
     */
    float surprise(float[] st, int at, long n, float[] x, int xAt, long eventTime) {
        int per = perTarget();
        if (n == 0) {
            for (int c = 0; c < targets; c++) {
                java.util.Arrays.fill(st, at + c * per + 2, at + (c + 1) * per, Float.NaN);
            }
        }
        int slot = (int) (Math.floorMod(eventTime, cycle.periodMs()) / cycle.slotMs());
        float surprise = Float.NaN;
        for (int c = 0; c < targets; c++) {
            int seen = at + c * per;
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
            KeyLayout.count(st, seen);
        }
        return surprise;
    }
}
