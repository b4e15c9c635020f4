package io.flinkrnn.stepper;

/**
 * From a key's raw surprise scores to an anomaly score in [0, 1]: how unusual the recent surprise is against
 * the key's own history, after the anomaly likelihood of Numenta's HTM detector (as NAB describes it), kept in
 * O(1) state per key. The choices measured on NAB (the cap, the error window, the new-extreme rule) are in
 * docs/BENCHMARKS.md.
 *
 * <ul>
 *   <li>The raw score r = |error| / the running mean absolute error (the {@link AnomalyScorer}'s ratio),
 *       capped at {@value #CAP}: one wild error must not dominate the average for ten rows.
 *   <li>A moving average of the last {@value #AVERAGE} capped scores.
 *   <li>Its distribution: exponentially weighted mean and variance of the averages from row {@value #SKIP} on
 *       (weight max(1/(m+1), 1/{@value #HISTORY}) after m of them), floored at {@value #MIN_MEAN} and {@value
 *       #MIN_VARIANCE}.
 *   <li>The tail probability p of the current average under a normal with those moments (one-sided: an average
 *       below the mean is reflected above it); p = 0.5 for the first {@value #LEARNING} rows of a key.
 *   <li>Damping: a p below {@value #RED} right after another one is raised to {@value #YELLOW}, so a run of
 *       anomalies fires once.
 *   <li>The score is log(p) / log(1e-10), clipped to [0, 1] (0.03 for p = 0.5; 0.5 at p = 1e-5).
 *   <li>New extremes: a target value beyond the key's running range by more than {@value #TOLERANCE} of the
 *       range scores 1 (NAB's HTM detector does the same) when its raw score is at least {@value #EXTREME_RAW} (so
 *       not in a key's first rows, which have no raw score and a range still narrow):
 *       a trend the model follows into new territory is no anomaly, a jump to a new extreme is.
 * </ul>
 */
final class AnomalyLikelihood {
    static final int AVERAGE = 10;
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
    private final KeyLayout layout;
    private final int targets;
    private final int[] targetInputs;

    AnomalyLikelihood(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.targets = model.targetCount();
        this.targetInputs = model.targetInputs();
    }

    /** The anomaly score of the key's n-th row, given its raw score (NaN: none yet) and its values. */
    float score(float[] st, float raw, float[] x, int xAt) {
        long n = KeyLayout.rows(st);
        int ring = layout.likelihood;
        int moments = ring + AVERAGE;
        int range = moments + 3;
        float capped = Float.isNaN(raw) ? 0f : Math.min(raw, CAP);
        st[ring + (int) (n % AVERAGE)] = capped;
        int count = (int) Math.min(n + 1, AVERAGE);
        float sum = 0f;
        for (int j = 0; j < count; j++) {
            sum += st[ring + j];
        }
        float avg = sum / count;
        float mean = st[moments];
        float var = st[moments + 1];
        double p = 0.5;
        if (n >= LEARNING) {
            float m = Math.max(mean, MIN_MEAN);
            float v = Math.max(var, MIN_VARIANCE);
            float z = Math.abs(avg - m) / (float) Math.sqrt(v);
            p = 0.5 * erfc(z / Math.sqrt(2));
        }
        if (n >= SKIP) {
            // HTM leaves the first rows (the model still learning) out of the distribution.
            long m = n - SKIP;
            float w = Math.max(1f / (m + 1), 1f / HISTORY);
            float d = avg - mean;
            st[moments] = m == 0 ? avg : mean + w * d;
            st[moments + 1] = m == 0 ? 0f : (1f - w) * (var + w * d * d);
        }
        double filtered = p;
        if (p <= RED && st[moments + 2] <= RED) {
            filtered = YELLOW;
        }
        st[moments + 2] = (float) p;
        float score = (float) Math.min(1.0, Math.max(0.0, StrictMath.log(filtered + 1e-10) / StrictMath.log(1e-10)));
        for (int c = 0; c < targets; c++) {
            float v = x[xAt + targetInputs[c]];
            int lo = range + 2 * c;
            if (n == 0) {
                st[lo] = v;
                st[lo + 1] = v;
                continue;
            }
            float tolerance = (st[lo + 1] - st[lo]) * TOLERANCE;
            if (st[lo + 1] > st[lo] && (v > st[lo + 1] + tolerance || v < st[lo] - tolerance)
                    && raw >= EXTREME_RAW) {
                score = 1f;
            }
            st[lo] = Math.min(st[lo], v);
            st[lo + 1] = Math.max(st[lo + 1], v);
        }
        return score;
    }

    /** The complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * StrictMath.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
