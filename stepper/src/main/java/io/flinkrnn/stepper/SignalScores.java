package io.flinkrnn.stepper;

/**
 * Every target of a key scored on its own and all of them jointly, for machines whose faults last: a closed valve moves
 * a pump's pressure, flow and current to new levels for minutes, and a one-step forecaster follows a level within a few
 * rows, so its errors (the {@link AnomalyScorer}'s raw score) mark at most the onset. Here each target's score is how
 * far its value lies from the key's learned normal, in the key's own standard deviations: |x - mean| / sd, with the
 * mean and variance an exponential average over {@value #WINDOW} rows that learns {@value #ANOMALOUS_SLOWDOWN} times
 * slower while the key is {@linkplain AnomalyHold anomalous} (at full rate in its first {@value #WINDOW} rows), so a
 * sustained fault stays far from normal for as long as it lasts, while a slow drift that tripped the hold (a pump
 * warming up) is learned in the end instead of holding the key anomalous for good (docs/BENCHMARKS.md, SKAB). The joint
 * score is the largest target score and the cause the target that gave it; the sum of squares and a covariance
 * (Hotelling's T²) were measured beside it (docs/BENCHMARKS.md). No score before {@value #MIN_ROWS} learned rows.
 *
 * <p>State ({@link KeyLayout#signals}): the rows learned, then the mean[T] and variance[T] of every target.
 */
final class SignalScores {
    static final int WINDOW = 400;
    static final int MIN_ROWS = 50;
    /** While the key is anomalous its normal learns this many times slower: over 45 x {@value #WINDOW} rows. */
    static final float ANOMALOUS_SLOWDOWN = 45f;
    /** The floor of a target's standard deviation, relative to its level: a constant sensor still has a scale. */
    static final float RELATIVE_FLOOR = 1e-6f;
    private final KeyLayout layout;
    private final int targets;
    private final int[] targetInputs;

    SignalScores(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.targets = model.targetCount();
        this.targetInputs = model.targetInputs();
    }

    /** Floats of the part: the learned rows, a mean and a variance per target. */
    static int size(ForecastModel m) {
        return 1 + 2 * m.targetCount();
    }

    /**
     * Writes each target's score of row {@code x[xAt..]} into {@code out[outAt..outAt + T)} and returns the index of
     * the target with the largest (the cause), or -1 while the key has learned too few rows (scores NaN then).
     */
    int score(float[] st, float[] x, int xAt, float[] out, int outAt) {
        int at = layout.signals;
        if (st[at] < MIN_ROWS) {
            java.util.Arrays.fill(out, outAt, outAt + targets, Float.NaN);
            return -1;
        }
        int cause = 0;
        for (int c = 0; c < targets; c++) {
            float mean = st[at + 1 + c];
            float floor = RELATIVE_FLOOR * (1f + Math.abs(mean));
            float sd = (float) Math.sqrt(st[at + 1 + targets + c] + floor * floor);
            float z = Math.abs(x[xAt + targetInputs[c]] - mean) / sd;
            out[outAt + c] = z;
            if (z > out[outAt + cause]) {
                cause = c;
            }
        }
        return cause;
    }

    /** Folds row {@code x[xAt..]} into the key's normal, slowly while it is anomalous (and past its first rows). */
    void learn(float[] st, float[] x, int xAt, boolean anomalous) {
        int at = layout.signals;
        long n = (long) st[at];
        float w = Math.max(1f / (n + 1), 1f / WINDOW);
        if (anomalous && n >= WINDOW) {
            w /= ANOMALOUS_SLOWDOWN;
        }
        for (int c = 0; c < targets; c++) {
            int m = at + 1 + c;
            int v = m + targets;
            float d = x[xAt + targetInputs[c]] - st[m];
            st[m] = n == 0 ? x[xAt + targetInputs[c]] : st[m] + w * d;
            st[v] = n == 0 ? 0f : (1f - w) * (st[v] + w * d * d);
        }
        KeyLayout.count(st, at);
    }
}
