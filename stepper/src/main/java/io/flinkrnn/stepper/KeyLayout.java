package io.flinkrnn.stepper;

/**
 * Where each part of the stepper lives in a key's feature vector ({@link KeyState#features()}), for one
 * model and one choice of anomaly scoring. In float offsets:
 *
 * <pre>
 *   [0]                          rows this vector has seen (saturates at 2^24; the warm-ups read it)
 *   scaling (per-key only)       running mean[F], running variance[F]
 *   differences (if on)          the previous row's values[F]
 *   guard (if on)                ring of the last S origins: target values[S][T], model changes[S][O];
 *                                then per output the mean absolute error of each of 5 blends[O][5]
 *   guard's recent window (if on) per output the same means over the recent forecasts[O][5]
 *   guard's level (if on)        rows it has seen; level[T]; the last S origins' levels[S][T]; per output of
 *                                steps 2 and on its mean absolute error[O-T], and its recent one[O-T] (if on)
 *   guard's evidence (if on)     per target and blend above 0: the paired difference's mean and square[T][4][2]
 *   intervals (if on)            issued forecasts of the last S origins[S][O]; half-width[O]; mean abs error[O]
 *   head adaptation (if on)      correction[O][H+1]; the last S origins' h[S][H], forecasts[S][O], scales[S][O]
 *   anomaly scoring (if on)      last one-step forecast[T], running mean absolute error[T];
 *                                likelihood: last 10 squashed scores, mean and variance of their average,
 *                                previous tail probability, running min and max per target[T][2];
 *                                surprise test (S >= 5): rows it has seen; per target the last 5 origins'
 *                                forecasts of 5 steps, the last 2 values, a scale[T][28];
 *                                flags: rows left in the likelihood's quiet period, log of the surprise quantile;
 *                                context: rows it has seen; the 48-row likelihood of raw scores[51]; with an
 *                                hour-of-day input, the 48-row likelihood of the daily profile's surprises[51]
 *                                and per target the profile: distances seen, their scale, 288 slots[T][290];
 *                                weekly (with the day of week too): rows it has seen; the 48-row likelihood
 *                                of the weekly profile's surprises[51]; per target that profile, 84 slots[T][86]
 * </pre>
 *
 * F features, T targets, S steps, O = S x T outputs. A key whose vector has another length (restored from an
 * older format, or scoring switched on) starts the features afresh; its recurrent state is kept. The exceptions:
 * a vector that ends where the surprise test's part begins (written before that test existed) keeps its parts
 * and gains the test's, the flags', the context's and the weekly one's, zeroed; one that ends where the context
 * or the weekly part begins (written before it existed) gains the rest, zeroed. Those parts then warm up on their
 * own counts.
 */
final class KeyLayout {
    static final int ROWS = 0;
    final int scaling;
    final int differences;
    final int guard;
    final int guardRecent;
    final int guardLevel;
    final int guardEvidence;
    final int intervals;
    final int adaptation;
    final int anomaly;
    final int likelihood;
    final int surprise;
    final int flags;
    final int context;
    final int weekly;
    final int size;

    KeyLayout(ForecastModel m, boolean anomalyScoring) {
        this(m, anomalyScoring, false, false);
    }

    KeyLayout(ForecastModel m, boolean anomalyScoring, boolean withIntervals, boolean adapting) {
        int f = m.featureCount();
        int t = m.targetCount();
        int s = m.steps();
        int at = 1;
        scaling = at;
        at += m.scaling() == Scaling.PER_KEY ? 2 * f : 0;
        differences = at;
        at += m.inputDifferences() ? f : 0;
        guard = at;
        at += m.guard() ? s * t + s * m.outputs() + ForecastGuard.G * m.outputs() : 0;
        guardRecent = at;
        at += m.guard() ? ForecastGuard.recentFloats(m) : 0;
        guardLevel = at;
        at += m.guard() ? ForecastGuard.levelFloats(m) : 0;
        guardEvidence = at;
        at += m.guard() ? ForecastGuard.evidenceFloats(m) : 0;
        intervals = at;
        at += withIntervals ? s * m.outputs() + 2 * m.outputs() : 0;
        adaptation = at;
        at += adapting ? HeadAdaptation.size(m) : 0;
        anomaly = at;
        at += anomalyScoring ? 2 * t : 0;
        likelihood = at;
        at += anomalyScoring ? AnomalyLikelihood.size(m) : 0;
        surprise = at;
        at += anomalyScoring ? SurpriseTest.size(m) : 0;
        flags = at;
        at += AnomalyFlags.size(anomalyScoring);
        context = at;
        at += anomalyScoring ? AnomalyLikelihood.contextSize(m) : 0;
        weekly = at;
        at += anomalyScoring ? AnomalyLikelihood.weeklySize(m) : 0;
        size = at;
    }

    /** Whether a key's features written in {@code other} mean the same here: every part at the same place. */
    boolean sameAs(KeyLayout other) {
        return scaling == other.scaling && differences == other.differences && guard == other.guard
                && guardRecent == other.guardRecent && guardLevel == other.guardLevel
                && guardEvidence == other.guardEvidence && intervals == other.intervals
                && adaptation == other.adaptation
                && anomaly == other.anomaly && likelihood == other.likelihood && surprise == other.surprise
                && flags == other.flags && context == other.context && weekly == other.weekly
                && size == other.size;
    }

    /**
     * Whether {@code other}'s vectors differ from this layout's only by the guard's options, its recent window,
     * its level and its evidence test (one has an option the other has not): every other part the same size,
     * those after the options shifted by the difference.
     */
    boolean differsOnlyInGuardOptions(KeyLayout other) {
        int d = (intervals - guardRecent) - (other.intervals - other.guardRecent);
        return !sameAs(other) && scaling == other.scaling && differences == other.differences && guard == other.guard
                && guardRecent == other.guardRecent && intervals - other.intervals == d
                && adaptation - other.adaptation == d && anomaly - other.anomaly == d
                && likelihood - other.likelihood == d && surprise - other.surprise == d && flags - other.flags == d
                && context - other.context == d && weekly - other.weekly == d && size - other.size == d;
    }

    /**
     * A vector written in {@code other} ({@link #differsOnlyInGuardOptions}) in this layout: every part kept
     * that both have alike; a recent window gained starts at zero (its means are then all scaled alike while
     * they warm up, so the comparisons between them hold); a level gained, or one whose part changed with the
     * recent window, starts afresh on its own row count; an evidence test gained starts at zero (no evidence
     * yet: the last value at step 1 until it builds); an option lost is dropped.
     */
    float[] carry(float[] features, KeyLayout other) {
        float[] out = new float[size];
        System.arraycopy(features, 0, out, 0, guardRecent);
        int[] from = {other.guardRecent, other.guardLevel, other.guardEvidence, other.intervals};
        int[] to = {guardRecent, guardLevel, guardEvidence, intervals};
        for (int p = 0; p < 3; p++) {
            if (to[p + 1] - to[p] == from[p + 1] - from[p]) {
                System.arraycopy(features, from[p], out, to[p], to[p + 1] - to[p]);
            }
        }
        System.arraycopy(features, other.intervals, out, intervals, size - intervals);
        return out;
    }

    /**
     * Gives {@code s} a feature vector of this layout: its own if it has one; extended with zeros if it ends where
     * the surprise test's part, the context or the weekly part begins (written before those parts existed); else a
     * fresh one.
     */
    void fit(KeyState s) {
        int n = s.features().length;
        if (n == size) {
            return;
        }
        if ((n == surprise || n == context || n == weekly) && n < size) {
            s.extendFeatures(size);
        } else {
            s.resetFeatures(size);
        }
    }

    /** Rows seen, as an exact count while it is below 2^24. */
    static long rows(float[] features) {
        return (long) features[ROWS];
    }

    static void countRow(float[] features) {
        count(features, ROWS);
    }

    /** Adds one to the count at {@code st[at]}, which stops at 2^24, the last float that counts exactly. */
    static void count(float[] st, int at) {
        if (st[at] < 16_777_216f) {
            st[at] += 1f;
        }
    }
}
