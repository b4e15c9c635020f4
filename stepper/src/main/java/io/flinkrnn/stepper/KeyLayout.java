package io.flinkrnn.stepper;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where each {@link StatePart} lives in a key's feature vector ({@link KeyState#features()}), for one model and
 * one choice of intervals, adaptation and anomaly scoring, in this order (F features, T targets, S steps, O = S x
 * T outputs; "n" is a part's own row count, exact below 2^24, then wrapped: {@link #countRing}):
 *
 * <pre>
 *   scaling (per-key only)        n; running mean[F], running variance[F]
 *   differences (if on)           n; the previous row's values[F]
 *   guard (if on)                 n; ring of the last S origins: target values[S][T], model changes[S][O];
 *                                 then per output the mean error of each of 5 blends[O][5] (absolute or
 *                                 squared, GuardRules.error: the guard's parts have a version for each)
 *   guardRecent (if on)           per output the same means over the recent forecasts[O][5]
 *   guardLevel (if on)            its count; level[T]; the last S origins' levels[S][T]; per output of steps 2
 *                                 and on its mean error[O-T], and its recent one[O-T] (if on)
 *   guardEvidence (if on)         its count; per target and blend above 0 the paired difference's mean, square
 *   linear (if on)                n; per target its tail cursor, rows since its fit, penalty and refits since
 *                                 chosen, values not yet in the history, the history's next slot and length N;
 *                                 the tail of its last W+S+128 values, coefficients[S][W+1], each step's mean
 *                                 error per mix[S][4] and recent one[S][4] (if the guard has a recent window);
 *                                 its older values, N per target, are the key's history (KeyState#history)
 *   intervals (if on)             n; issued forecasts of the last S origins[S][O]; half-width[O]; error[O]
 *   adaptation (if on)            n; correction[O][H+1]; the last S origins' h[S][H], forecasts[S][O], scales
 *   anomaly (scoring)             n; last one-step forecast[T], running mean absolute error[T]
 *   likelihood (scoring)          n; last 10 squashed scores, their average's mean and variance, previous tail
 *                                 probability; running min and max per target[T][2]
 *   surprise (scoring, S >= 5)    its count; per target the last 5 origins' forecasts of 5 steps, the last 2
 *                                 values, a scale[T][28]
 *   flags (scoring)               rows left in the quiet period, log of the surprise quantile
 *   context (scoring)             its count; the 48-row likelihood of raw scores[51]; with an hour-of-day input,
 *                                 that of the daily profile's surprises[51] and the profile[T][290]
 *   weekly (scoring, day of week) its count; the 48-row likelihood of the weekly profile's surprises[51]; the
 *                                 weekly profile[T][86]
 *   signals (scoring)             its count of learned rows; each target's normal mean[T] and variance[T]
 *   hold (scoring)                anomalous (0/1), rows below the entry threshold since
 * </pre>
 *
 * The parts and their sizes are the layout's identity ({@link #parts}), written with every key; {@link #fit} moves
 * a vector written in any other layout (or a format-3/4 one with no identity, {@link LegacyLayout}) into this one.
 */
final class KeyLayout {
    final int scaling;
    final int differences;
    final int guard;
    final int guardRecent;
    final int guardLevel;
    final int guardEvidence;
    final int linear;
    final int intervals;
    final int adaptation;
    final int anomaly;
    final int likelihood;
    final int surprise;
    final int flags;
    final int context;
    final int weekly;
    final int signals;
    final int hold;
    final int size;
    /** The parts present, in vector order, with their sizes and the model's meaning. */
    final StateParts parts;
    private final Map<StatePart, Integer> starts = new EnumMap<>(StatePart.class);
    private final Map<StatePart, Integer> sizes = new EnumMap<>(StatePart.class);
    private final int[] counters;
    /** What a row count drops by at 2^24, a multiple of every ring it indexes ({@link #wrapFor}); 0: it stops. */
    private final float wrap;
    final ForecastModel model;
    final boolean anomalyScoring;
    private LegacyLayout legacy;

    KeyLayout(ForecastModel m, boolean anomalyScoring) {
        this(m, anomalyScoring, false, false);
    }

    KeyLayout(ForecastModel m, boolean anomalyScoring, boolean withIntervals, boolean adapting) {
        this.model = m;
        this.anomalyScoring = anomalyScoring;
        int f = m.featureCount();
        int t = m.targetCount();
        int s = m.steps();
        int o = m.outputs();
        List<StatePart> present = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        int[] at = {0};
        scaling = add(present, sizes, at, StatePart.SCALING, m.scaling() == Scaling.PER_KEY ? 2 * f : -1);
        differences = add(present, sizes, at, StatePart.DIFFERENCES, m.inputDifferences() ? f : -1);
        guard = add(present, sizes, at, StatePart.GUARD, m.guard() ? s * t + s * o + ForecastGuard.G * o : -1);
        guardRecent = add(present, sizes, at, StatePart.GUARD_RECENT, m.guard() ? ForecastGuard.recentFloats(m) : 0);
        guardLevel = add(present, sizes, at, StatePart.GUARD_LEVEL, m.guard() ? ForecastGuard.levelFloats(m) : 0);
        guardEvidence = add(present, sizes, at, StatePart.GUARD_EVIDENCE,
                m.guard() ? ForecastGuard.evidenceFloats(m) : 0);
        linear = add(present, sizes, at, StatePart.LINEAR, LinearPartLayout.size(m));
        intervals = add(present, sizes, at, StatePart.INTERVALS, withIntervals ? s * o + 2 * o : -1);
        adaptation = add(present, sizes, at, StatePart.ADAPTATION, adapting ? HeadAdaptation.size(m) : -1);
        anomaly = add(present, sizes, at, StatePart.ANOMALY, anomalyScoring ? 2 * t : -1);
        likelihood = add(present, sizes, at, StatePart.LIKELIHOOD, anomalyScoring ? AnomalyLikelihood.size(m) : -1);
        surprise = add(present, sizes, at, StatePart.SURPRISE, anomalyScoring ? SurpriseTest.size(m) : 0);
        flags = add(present, sizes, at, StatePart.FLAGS, AnomalyFlags.size(anomalyScoring));
        context = add(present, sizes, at, StatePart.CONTEXT, anomalyScoring ? AnomalyLikelihood.contextSize(m) : 0);
        weekly = add(present, sizes, at, StatePart.WEEKLY, anomalyScoring ? AnomalyLikelihood.weeklySize(m) : 0);
        signals = add(present, sizes, at, StatePart.SIGNALS, anomalyScoring ? SignalScores.size(m) : 0);
        hold = add(present, sizes, at, StatePart.HOLD, AnomalyHold.size(anomalyScoring));
        size = at[0];
        int[] ids = new int[present.size()];
        int[] versions = new int[ids.length];
        int[] floats = new int[ids.length];
        List<Integer> counted = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            StatePart p = present.get(i);
            ids[i] = p.id();
            versions[i] = p.version(m.guardError());
            floats[i] = sizes.get(i);
            if (p.countsRows()) {
                counted.add(starts.get(p));
            }
        }
        counters = counted.stream().mapToInt(Integer::intValue).toArray();
        wrap = wrapFor(s);
        parts = StateParts.of(meaning(m), ids, versions, floats);
    }

    /**
     * Appends {@code p} with {@code payload} floats (plus its row count if it counts rows); a payload below 1
     * for a part that counts rows, or 0 for another, means the part is absent. Returns where its payload starts.
     */
    private int add(List<StatePart> present, List<Integer> sizes, int[] at, StatePart p, int payload) {
        int start = at[0];
        int floats = p.countsRows() ? (payload < 0 ? 0 : payload + 1) : payload;
        if (floats > 0) {
            present.add(p);
            sizes.add(floats);
            starts.put(p, start);
            this.sizes.put(p, floats);
            at[0] += floats;
        }
        return start + (p.countsRows() ? 1 : 0);
    }

    /** What the model's names and scaling mean, as a hash that is the same in every JVM. */
    static int meaning(ForecastModel m) {
        int h = m.features().hashCode();
        h = h * 31 + m.targets().hashCode();
        h = h * 31 + m.scaling().name().hashCode();
        return h * 31 + m.scalingSpan();
    }

    /** Whether this layout has part {@code p}. */
    boolean has(StatePart p) {
        return starts.containsKey(p);
    }

    /** Where part {@code p} starts in the vector (its row count, for a part that counts rows). */
    int startOf(StatePart p) {
        return starts.get(p);
    }

    /** The rows part {@code p} (one that counts rows) has seen, as an exact count while it is below 2^24. */
    long rows(float[] st, StatePart p) {
        return (long) st[starts.get(p)];
    }

    /** Starts part {@code p} afresh in {@code st}: all its floats, its row count included, zero. */
    void restart(float[] st, StatePart p) {
        int from = starts.get(p);
        java.util.Arrays.fill(st, from, from + sizes.get(p), 0f);
    }

    /** Counts one row in every part that counts rows: call once per stepped row, after its outputs. */
    void countRow(float[] st) {
        for (int at : counters) {
            countRing(st, at);
        }
    }

    /**
     * Adds one to a row count that indexes rings (the last S origins, the likelihood's windows, the surprise test's
     * span): exact below 2^24, where a float stops counting by ones; there it drops by {@link #wrap}, a multiple of
     * every such ring's length of at least 2^22, so that the count keeps each ring's position and stays past every
     * warm-up. Why not stop at 2^24 as it once did: from then on every row would write the same ring slot and read
     * stale ones (a key of ten events a second gets there in 19 days).
     */
    void countRing(float[] st, int at) {
        float next = st[at] + 1f;
        if (next >= 16_777_216f && wrap > 0) {
            next -= wrap;
        }
        st[at] = Math.min(next, 16_777_216f);
    }

    /**
     * The largest multiple of the least common multiple of S and every fixed ring's length ({@link
     * AnomalyLikelihood#AVERAGE}, {@link AnomalyLikelihood#DAY_AVERAGE}, {@link SurpriseTest#SPAN}) up to 2^23; 0 when
     * that least common multiple is past 2^22 (a count of such a model stops at 2^24).
     */
    static float wrapFor(int steps) {
        long l = lcm(lcm(lcm(steps, AnomalyLikelihood.AVERAGE), AnomalyLikelihood.DAY_AVERAGE), SurpriseTest.SPAN);
        long half = 1L << 23;
        return l > half / 2 ? 0f : (float) (half / l * l);
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long r = x % y;
            x = y;
            y = r;
        }
        return a / x * b;
    }

    /**
     * Gives {@code s} a vector of this layout: its own if it is one; else its parts moved over by {@link
     * StateParts#carry}. Adds every part that starts fresh in a key that has stepped before to {@code fresh} (a
     * new key's parts all start fresh by nature and are not reported).
     */
    void fit(KeyState s, List<StatePart> fresh) {
        StateParts from = s.parts();
        if (from == parts) {
            return;
        }
        float[] features = s.features();
        if (from == null) {
            if (legacy == null) {
                legacy = new LegacyLayout(this);
            }
            LegacyLayout.Read read = legacy.read(features);
            from = read.parts();
            features = read.features();
        }
        if (from.size() == 0 && s.steps() == 0) {
            s.features(new float[size], parts);
            return;
        }
        float[] carried = StateParts.carry(features, from, parts, fresh);
        if (fresh.contains(StatePart.LINEAR) && from.meaning() == parts.meaning()) {
            readLinearRing(s, features, from, carried, fresh);
        }
        s.features(carried, parts);
    }

    /** A linear part of an older layout is read into this one ({@link LinearRingLayout}). */
    private void readLinearRing(KeyState s, float[] features, StateParts from, float[] st, List<StatePart> fresh) {
        int id = StatePart.LINEAR.id();
        int version = from.versionOf(id);
        if (!LinearRingLayout.reads(version, StatePart.LINEAR.version(model.guardError()))) {
            return;
        }
        if (LinearRingLayout.read(from.floatsOf(features, id), version, model, st, starts.get(StatePart.LINEAR), s)) {
            fresh.remove(StatePart.LINEAR);
        }
    }

    /**
     * Adds one to a count that indexes no ring (a number of errors seen, an evidence count) at {@code st[at]}, which
     * stops at 2^24, the last float that counts exactly.
     */
    static void count(float[] st, int at) {
        if (st[at] < 16_777_216f) {
            st[at] += 1f;
        }
    }
}
