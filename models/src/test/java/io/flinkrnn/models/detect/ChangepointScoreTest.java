package io.flinkrnn.models.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The changepoint score on runs small enough to work out by hand with NAB's sigmoid. */
class ChangepointScoreTest {
    /** Rows one second apart from the epoch. */
    private static long[] seconds(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 1000L;
        }
        return t;
    }

    @Test
    void aDecisionChangesWhereItTurnsOnAndWhereItTurnsOff() {
        assertArrayEquals(new boolean[] {false, true, false, false, true, false},
                ChangepointScore.changes(new boolean[] {false, true, true, true, false, false}));
        assertArrayEquals(new boolean[] {true, false}, ChangepointScore.changes(new boolean[] {true, true}));
    }

    @Test
    void aDetectionAtAWindowsStartScoresFullAndAFalseOneBeforeAnyWindowCostsItsWeight() {
        // 200 rows; a change point at row 100: its window is rows 100-160 (61 rows, 60 s to the right).
        int n = 200;
        float[] cp = new float[n];
        cp[100] = 1;
        boolean[] det = new boolean[n];
        det[100] = true;
        ChangepointScore s = new ChangepointScore();
        s.add("a", seconds(n), det, cp, 10);
        // Detected at the window's first row: S(-1)/S(-1) = 1, so a perfect score.
        assertEquals(100.0, s.standard().normalized, 1e-9);

        // Detected at its last row (p = -1/61) and a false detection at row 50 (before any window: -0.11).
        det = new boolean[n];
        det[160] = true;
        det[50] = true;
        ChangepointScore late = new ChangepointScore();
        late.add("a", seconds(n), det, cp, 10);
        double sig = 2 / (1 + Math.exp(5 * (-1.0 / 61))) - 1;
        double max = 2 / (1 + Math.exp(-5.0)) - 1;
        double raw = sig / max - 0.11;
        assertEquals(100 * (raw + 1) / 2, late.standard().normalized, 1e-9);

        // The same false detection inside the training rows is not scored; nothing detected scores 0.
        det = new boolean[n];
        det[5] = true;
        ChangepointScore none = new ChangepointScore();
        none.add("a", seconds(n), det, cp, 10);
        assertEquals(0.0, none.standard().normalized, 1e-9);
    }

    @Test
    void changePointsAMinuteApartShareOneWindow() {
        // SKAB marks a fault's change points a minute apart: rows 100 and 160 give one window, rows 100-220.
        int n = 300;
        float[] cp = new float[n];
        cp[100] = 1;
        cp[160] = 1;
        boolean[] det = new boolean[n];
        det[100] = true;
        ChangepointScore s = new ChangepointScore();
        s.add("a", seconds(n), det, cp, 0);
        assertEquals(1, s.standard().files.get(0).windows());
        assertEquals(100.0, s.standard().normalized, 1e-9);
    }
}
