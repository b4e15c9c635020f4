package io.flinkrnn.stepper;

/**
 * When an observation is flagged: its surprise reaches the surprise threshold and the key's own 99.9 % quantile
 * of surprises (a sudden change, flagged at once), or its anomaly score reaches the flag threshold (or it is a new
 * extreme, which scores near 1 and counts as reaching any threshold) while no row of the key's previous
 * {@value #QUIET} reached either.
 *
 * <ul>
 *   <li>The quantile: the surprise threshold (4.5: about 3.6 standard deviations of a normal error) is rare on a key
 *       with normal errors, but real series are heavy-tailed (on NAB 1.8 % of rows reach 5); a key's surprise
 *       flags must stay rare on its own series. Tracked in log space by stochastic approximation: log q moves up
 *       {@value #STEP} x (1 - {@value #TAIL}) on a surprise above q and down {@value #STEP} x {@value #TAIL}
 *       otherwise (not inside a quiet period: an event moves it once), so about {@value #TAIL} of a key's surprises
 *       exceed it; the threshold is the larger of the two.
 *   <li>The quiet period: the likelihood judges a {@value #QUIET}-row average, so after a surprise it stays high
 *       for rows that hold nothing new: one alarm per event, not one now and another when the average peaks.
 * </ul>
 *
 * State per key: the rows left in the quiet period and log(q / the surprise threshold) (two floats; zeros are
 * "none" and q at the threshold, so a zero-extended vector starts sane). Measured in docs/BENCHMARKS.md.
 */
final class AnomalyFlags {
    static final int QUIET = AnomalyLikelihood.AVERAGE;
    static final float TAIL = 0.001f;
    static final float STEP = 0.1f;
    private final KeyLayout layout;
    private final float flagThreshold;
    private final float surpriseThreshold;

    AnomalyFlags(KeyLayout layout, StepperSettings settings) {
        this.layout = layout;
        this.flagThreshold = (float) settings.flagThreshold();
        this.surpriseThreshold = (float) settings.surpriseThreshold();
    }

    static int size(boolean anomalyScoring) {
        return anomalyScoring ? 2 : 0;
    }

    /**
     * Whether the key's current row, with these scores (NaN: none), is flagged; advances the quiet period. A new
     * extreme reaches every threshold, as it did when it scored exactly 1.
     */
    boolean flag(float[] st, float score, boolean extreme, float surprise) {
        int at = layout.flags;
        // Kept relative to the surprise threshold: a fresh (zero) state starts the quantile there, not at 1.
        float q = surpriseThreshold * (float) StrictMath.exp(st[at + 1]);
        boolean sudden = surpriseThreshold > 0 && surprise >= Math.max(surpriseThreshold, q);
        boolean likely = extreme || score >= flagThreshold;
        boolean quiet = st[at] > 0f;
        if (!quiet && surpriseThreshold > 0 && !Float.isNaN(surprise) && surprise > 0f) {
            // Not inside an event's quiet period: an event moves q once, not once per row of it.
            st[at + 1] += STEP * ((surprise > q ? 1f : 0f) - TAIL);
        }
        if (quiet) {
            st[at] -= 1f;
        }
        if (sudden || likely) {
            st[at] = QUIET;
        }
        return sudden || likely && !quiet;
    }
}
