package io.flinkrnn.stepper;

import java.util.Arrays;

/**
 * Reads a linear part of an older layout into the current one (versions 5 and 6 of {@link StatePart#LINEAR}, the
 * second under squared errors): versions 3 and 4 kept no issued forecasts, which are marked not issued (NaN) and
 * computed when they resolve, as those versions did; versions 1 and 2 also held each target's last N values in one ring
 * inside the part, which move, by age, into the part's tail and the key's history. Why not let the part start fresh
 * like any other changed part: its model takes about 300 rows to fit and judge again, which is 13 days of an hourly
 * key. The coefficients, errors and schedule carry over, so the key forecasts what it would have (same bits).
 */
final class LinearRingLayout {
    /** Floats per target before the ring in versions 1 and 2: cursor, rows since the fit, penalty, refits since. */
    private static final int OLD_HEAD = 4;

    private LinearRingLayout() {
    }

    /** Whether a part of {@code version} is one this class reads into a part of the current {@code current}. */
    static boolean reads(int version, int current) {
        return version > 0 && (version == current - 2 || version == current - 4);
    }

    /**
     * Moves {@code old}, a linear part of {@code version} (its row count first) of {@code m}'s shape, into {@code st}
     * at {@code at} (the current part's row count); returns false when {@code old} has another size than such a part
     * of {@code m} would (so it cannot be read as one). Versions 1 and 2 give the key its history ({@code s}). As with
     * every part, the size is all there is to check: a part of another N and steps that happens to add up to the same
     * size would be read as this one's.
     */
    static boolean read(float[] old, int version, ForecastModel m, float[] st, int at, KeyState s) {
        int targets = m.targetCount();
        int block = LinearPartLayout.blockFloats(m);
        int before = LinearPartLayout.blockFloatsBeforeIssued(m);
        int issued = LinearPartLayout.issuedFloats(m.steps());
        if (version >= 3) {
            if (old.length != 1 + targets * before) {
                return false;
            }
            st[at] = old[0];
            for (int c = 0; c < targets; c++) {
                System.arraycopy(old, 1 + c * before, st, at + 1 + c * block, before);
                Arrays.fill(st, at + 1 + c * block + before, at + 1 + (c + 1) * block, Float.NaN);
            }
            return true;
        }
        int n = m.guardLinear();
        int tail = LinearPartLayout.tailFloats(m.steps());
        // After the head and the values: coefficients and errors, the same in both layouts.
        int rest = before - LinearPartLayout.HEAD - tail;
        int oldBlock = OLD_HEAD + n + rest;
        if (old.length != 1 + targets * oldBlock) {
            return false;
        }
        float rows = old[0];
        st[at] = rows;
        long count = (long) rows;
        int held = (int) Math.min(count, n);
        float[] history = new float[targets * n];
        for (int c = 0; c < targets; c++) {
            int from = 1 + c * oldBlock;
            int to = at + 1 + c * block;
            System.arraycopy(old, from, st, to, OLD_HEAD);
            int cursor = (int) old[from];
            // Age a: the old ring's (cursor - a), the tail's (tail - 1 - a), the history's (n - 1 - a); nothing waits.
            for (int a = 0; a < held; a++) {
                float v = old[from + OLD_HEAD + Math.floorMod(cursor - a, n)];
                history[c * n + n - 1 - a] = v;
                if (a < tail) {
                    st[to + LinearPartLayout.HEAD + tail - 1 - a] = v;
                }
            }
            st[to] = tail - 1;
            st[to + 4] = 0;
            st[to + 5] = 0;
            st[to + 6] = n;
            System.arraycopy(old, from + OLD_HEAD + n, st, to + LinearPartLayout.HEAD + tail, rest);
            Arrays.fill(st, to + before, to + before + issued, Float.NaN);
        }
        s.history(history);
        s.historyWritten();
        return true;
    }
}
