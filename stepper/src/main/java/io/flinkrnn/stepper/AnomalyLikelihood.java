package io.flinkrnn.stepper;

/**
 * From a key's raw surprise scores to an anomaly score in [0, 1]: how unusual the recent surprise is against
 * the key's own history, after the anomaly likelihood of Numenta's HTM detector (as NAB describes it), kept in
 * bounded state per key. The choices measured on NAB (the cap, the averages, the profile, the new-extreme rule)
 * are in docs/BENCHMARKS.md.
 *
 * <ul>
 *   <li>The raw score r = |error| / the running mean absolute error (the {@link AnomalyScorer}'s ratio),
 *       capped at {@value #CAP}: one wild error must not dominate the average for ten rows.
 *   <li>A likelihood of a moving average ({@link LikelihoodTrack}): its distribution is the exponentially weighted
 *       mean and variance of the averages from row {@value #SKIP} on (weight max(1/(m+1), 1/{@value #HISTORY})
 *       after m of them), floored at {@value #MIN_MEAN} and {@value #MIN_VARIANCE}; the tail probability p of the
 *       current average under a normal with those moments (one-sided: an average below the mean is reflected
 *       above it), p = 0.5 for the first {@value #LEARNING} rows; damping: a p below {@value #RED} right after
 *       another one is raised to {@value #YELLOW}, so a run of anomalies fires once; the score is log(p) /
 *       log(1e-10), clipped to [0, 1] (0.03 for p = 0.5; 0.5 at p = 1e-5).
 *   <li>Up to four such likelihoods, and the score is the largest: over the last {@value #AVERAGE} raw scores (a
 *       burst of errors); over the last {@value #DAY_AVERAGE} (hours of errors a few times usual, too mild for ten
 *       rows); for series with a daily cycle, over the last {@value #DAY_AVERAGE} surprises of the daily {@link
 *       SeasonalProfile} (a day that looks ordinary row to row but not for its time of day); and for sub-daily
 *       series with a day-of-week input, the same over the weekly profile (a weekday that looks like a Sunday).
 *   <li>New extremes: a target value beyond the key's running range by more than {@value #TOLERANCE} of the
 *       range, with a raw score of at least {@value #EXTREME_RAW} (so not in a key's first rows, which have no raw
 *       score and a range still narrow): a trend the model follows into new territory is no anomaly, a jump to a
 *       new extreme is. It is flagged whatever the threshold and scores 1 - (1 - {@value #EXTREME_FLOOR}) x
 *       {@value #EXTREME_RAW} / raw, or the likelihood if higher. NAB's HTM detector scores it 1, and so did we;
 *       but then every new extreme ties and the earliest holds a key's highest score, whatever larger jump comes
 *       later. At {@value #EXTREME_FLOOR} or more, it reaches every threshold up to that as a 1 did, and the
 *       larger jump ranks first (docs/BENCHMARKS.md, top-1).
 * </ul>
 *
 * <p>State: the ten-row likelihood and the ranges where {@link KeyLayout#likelihood} says; the longer ones in the
 * key's context part ({@link KeyLayout#context}): their own row count (so that a key restored from a version
 * without them, its features extended with zeros, warms them up on their own), the raw scores' track, and with a
 * daily cycle the profile's track and the profile; then the weekly part ({@link KeyLayout#weekly}), which came
 * later and so has its own count too, its track and its profile.
 */
final class AnomalyLikelihood {
    static final int AVERAGE = 10;
    static final int DAY_AVERAGE = 48;
    static final float CAP = 10f;
    static final int HISTORY = 8640;
    static final int LEARNING = 388;
    static final int SKIP = 288;
    static final float MIN_MEAN = 0.03f;
    static final float MIN_VARIANCE = 0.0003f;
    static final double RED = 1e-5;
    static final double YELLOW = 1e-3;
    static final float TOLERANCE = 0.05f;
    static final float EXTREME_RAW = 3f;
    static final float EXTREME_FLOOR = 0.999f;
    private static final LikelihoodTrack SHORT = new LikelihoodTrack(AVERAGE);
    private static final LikelihoodTrack LONG = new LikelihoodTrack(DAY_AVERAGE);
    private final KeyLayout layout;
    private final int targets;
    private final int[] targetInputs;
    private final SeasonalProfile daily;
    private final SeasonalProfile weekly;

    AnomalyLikelihood(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.targets = model.targetCount();
        this.targetInputs = model.targetInputs();
        this.daily = SeasonalProfile.of(SeasonalProfile.DAILY, model);
        this.weekly = SeasonalProfile.of(SeasonalProfile.WEEKLY, model);
    }

    /** Floats of the ten-row likelihood and the ranges ({@link KeyLayout#likelihood}). */
    static int size(ForecastModel m) {
        return SHORT.size() + 2 * m.targetCount();
    }

    /** Floats of the longer likelihoods and the daily profile ({@link KeyLayout#context}). */
    static int contextSize(ForecastModel m) {
        return 1 + LONG.size() + seasonalSize(SeasonalProfile.of(SeasonalProfile.DAILY, m));
    }

    /** Floats of the weekly profile's part ({@link KeyLayout#weekly}): none without a weekly profile. */
    static int weeklySize(ForecastModel m) {
        SeasonalProfile p = SeasonalProfile.of(SeasonalProfile.WEEKLY, m);
        return p == null ? 0 : 1 + seasonalSize(p);
    }

    private static int seasonalSize(SeasonalProfile p) {
        return p == null ? 0 : LONG.size() + p.size();
    }

    /**
     * Whether the key's row {@code x[xAt..]}, with this raw score, is a new extreme; call before {@link #score},
     * which widens the ranges.
     */
    boolean newExtreme(float[] st, float raw, float[] x, int xAt) {
        if (!(raw >= EXTREME_RAW) || layout.rows(st, StatePart.LIKELIHOOD) == 0) {
            return false;
        }
        int range = layout.likelihood + SHORT.size();
        boolean extreme = false;
        for (int c = 0; c < targets; c++) {
            float v = x[xAt + targetInputs[c]];
            int lo = range + 2 * c;
            float tolerance = (st[lo + 1] - st[lo]) * TOLERANCE;
            extreme |= st[lo + 1] > st[lo] && (v > st[lo + 1] + tolerance || v < st[lo] - tolerance);
        }
        return extreme;
    }

    /** A new extreme's score for its raw score: in [{@value #EXTREME_FLOOR}, 1], higher the larger the jump. */
    static float extremeScore(float raw) {
        return (float) (1.0 - (1.0 - EXTREME_FLOOR) * EXTREME_RAW / raw);
    }

    /**
     * The anomaly score of the key's row {@code x[xAt..]} at {@code eventTime}, given its raw score (NaN: none yet)
     * and whether it is a {@link #newExtreme}.
     */
    float score(float[] st, float raw, float[] x, int xAt, long eventTime, boolean extreme) {
        long n = layout.rows(st, StatePart.LIKELIHOOD);
        float capped = Float.isNaN(raw) ? 0f : Math.min(raw, CAP);
        float score = SHORT.score(st, layout.likelihood, n, capped);
        int at = layout.context;
        long own = (long) st[at];
        score = Math.max(score, LONG.score(st, at + 1, own, capped));
        if (daily != null) {
            score = Math.max(score, seasonal(daily, st, at + 1 + LONG.size(), own, x, xAt, eventTime));
        }
        layout.countRing(st, at);
        if (weekly != null) {
            int w = layout.weekly;
            score = Math.max(score, seasonal(weekly, st, w + 1, (long) st[w], x, xAt, eventTime));
            layout.countRing(st, w);
        }
        int range = layout.likelihood + SHORT.size();
        for (int c = 0; c < targets; c++) {
            float v = x[xAt + targetInputs[c]];
            int lo = range + 2 * c;
            if (n == 0) {
                st[lo] = v;
                st[lo + 1] = v;
                continue;
            }
            st[lo] = Math.min(st[lo], v);
            st[lo + 1] = Math.max(st[lo + 1], v);
        }
        return extreme ? Math.max(score, extremeScore(raw)) : score;
    }

    /** The likelihood score of a profile's surprise: its track at {@code st[at..]}, the profile right after it. */
    private static float seasonal(SeasonalProfile p, float[] st, int at, long own, float[] x, int xAt,
            long eventTime) {
        float surprise = p.surprise(st, at + LONG.size(), own, x, xAt, eventTime);
        return LONG.score(st, at, own, Float.isNaN(surprise) ? 0f : Math.min(surprise, CAP));
    }
}
