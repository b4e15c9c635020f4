package io.flinkrnn.stepper;

/**
 * Reads a linear part written before the key's history existed (versions 1 and 2 of {@link StatePart#LINEAR}: each
 * target's last N values in one ring inside the part) into the current layout (versions 3 and 4: the newest values in
 * the part's tail, all of them in the key's history). Why not let the part start fresh like any other changed part: its
 * model takes about 300 rows to fit and judge again, which is 13 days of an hourly key. The values keep their ages, and
 * the coefficients, errors and schedule carry over, so the key forecasts what it would have (same bits).
 */
final class LinearRingLayout {
    /** Floats per target before the ring in versions 1 and 2: cursor, rows since the fit, penalty, refits since. */
    private static final int OLD_HEAD = 4;

    private LinearRingLayout() {
    }

    /** The version a part of {@code version} was written under before the history, or -1 when there was none. */
    static int before(int version) {
        return version == 3 ? 1 : version == 4 ? 2 : -1;
    }

    /**
     * Moves {@code old}, a version-1 or -2 linear part (its row count first) of {@code m}'s shape, into {@code st} at
     * {@code at} (the current part's row count) and returns the key's history; null when {@code old} has another size
     * than such a part of {@code m} would (so it cannot be read as one). As with every part, the size is all there is
     * to check: a part of another N and steps that happens to add up to the same size would be read as this one's.
     */
    static float[] read(float[] old, ForecastModel m, float[] st, int at) {
        int n = m.guardLinear();
        int targets = m.targetCount();
        int tail = LinearForecaster.tailFloats(m.steps());
        int newBlock = LinearForecaster.blockFloats(m);
        // After the head and the values: coefficients and errors, the same in both layouts.
        int rest = newBlock - LinearForecaster.HEAD - tail;
        int oldBlock = OLD_HEAD + n + rest;
        if (old.length != 1 + targets * oldBlock) {
            return null;
        }
        float rows = old[0];
        st[at] = rows;
        long count = (long) rows;
        int held = (int) Math.min(count, n);
        float[] history = new float[targets * n];
        for (int c = 0; c < targets; c++) {
            int from = 1 + c * oldBlock;
            int to = at + 1 + c * newBlock;
            System.arraycopy(old, from, st, to, OLD_HEAD);
            int cursor = (int) old[from];
            // Age a: the old ring's (cursor - a), the tail's (tail - 1 - a), the history's (n - 1 - a); nothing waits.
            for (int a = 0; a < held; a++) {
                float v = old[from + OLD_HEAD + Math.floorMod(cursor - a, n)];
                history[c * n + n - 1 - a] = v;
                if (a < tail) {
                    st[to + LinearForecaster.HEAD + tail - 1 - a] = v;
                }
            }
            st[to] = tail - 1;
            st[to + 4] = 0;
            st[to + 5] = 0;
            st[to + 6] = n;
            System.arraycopy(old, from + OLD_HEAD + n, st, to + LinearForecaster.HEAD + tail, rest);
        }
        return history;
    }
}
