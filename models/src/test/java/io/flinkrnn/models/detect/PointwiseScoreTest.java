package io.flinkrnn.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** SKAB's point-wise F1, FAR and MAR, counted by hand on small runs. */
class PointwiseScoreTest {
    @Test
    void countsOnlyRowsAfterTheTrainingPartAndSumsRunsBeforeTheRates() {
        // Rows 0-1 are training (not counted). Scored rows 2-9: labels ..AAAA.. , decisions .AAA...A
        //   row:      0  1  2  3  4  5  6  7  8  9
        float[] labels = {1, 1, 0, 1, 1, 1, 1, 0, 0, 0};
        boolean[] decided = {true, true, true, true, true, false, false, false, false, true};
        PointwiseScore a = PointwiseScore.of(decided, labels, 2);
        // TP rows 3, 4; FP rows 2, 9; FN rows 5, 6; TN rows 7, 8.
        assertEquals(new PointwiseScore(2, 2, 2, 2), a);
        assertEquals(0.5, a.f1(), 1e-12);
        assertEquals(50.0, a.falseAlarmRate(), 1e-12);
        assertEquals(50.0, a.missedAlarmRate(), 1e-12);
        // A second run with every row anomalous and found: counts add, rates are of the sums (not a mean of runs).
        PointwiseScore b = PointwiseScore.of(new boolean[] {true, true, true, true}, new float[] {1, 1, 1, 1}, 0);
        PointwiseScore both = a.plus(b);
        assertEquals(2.0 * 6 / (2 * 6 + 2 + 2), both.f1(), 1e-12);
        assertEquals(100.0 * 2 / 8, both.missedAlarmRate(), 1e-12);
        assertEquals(50.0, both.falseAlarmRate(), 1e-12);
    }

    @Test
    void decisionsAndLabelsOfDifferentLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PointwiseScore.of(new boolean[3], new float[4], 0));
    }
}
