package io.flinkrnn.models.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The top-1 rule on small hand-built runs: the training rows, the margin's edges, ties, scores not yet there. */
class TopOneTest {
    private static final double NAN = Double.NaN;

    @Test
    void theHighestScoreAfterTheTrainingRowsIsAHitWithinTheMarginOfTheAnomaly() {
        //              row: 0   1    2    3    4    5    6    7    8    9
        double[] scores = {9, NAN, 0.1, 0.2, 0.1, 0.3, 0.1, 0.1, 0.1, 0.1};
        // Row 0 is the highest but training; row 5 is the highest after it. The anomaly is rows 7-8.
        List<int[]> anomaly = List.<int[]>of(new int[] {7, 8});
        assertEquals(new TopOne(5, 0.3, 1, true), TopOne.of(scores, 2, anomaly, 2), "5 = 7 - 2: the edge is in");
        assertEquals(new TopOne(5, 0.3, 1, false), TopOne.of(scores, 2, anomaly, 1), "5 < 7 - 1: out");
        assertTrue(TopOne.of(scores, 2, List.<int[]>of(new int[] {2, 3}), 2).hit(), "5 = 3 + 2: the far edge is in");
        assertFalse(TopOne.of(scores, 2, List.<int[]>of(new int[] {2, 3}), 1).hit(), "5 > 3 + 1: out");
        assertTrue(TopOne.of(scores, 2, List.of(new int[] {0, 0}, new int[] {5, 5}), 0).hit(), "any anomaly");
    }

    @Test
    void aTieIsBrokenByTheFirstRowAndCounted() {
        //              row: 0    1    2    3    4    5    6    7
        double[] scores = {0.1, 1.0, 0.2, 1.0, 0.5, 1.0, 0.9, 0.1};
        TopOne t = TopOne.of(scores, 0, List.<int[]>of(new int[] {5, 5}), 1);
        assertEquals(new TopOne(1, 1.0, 3, false), t, "rows 1, 3, 5 tie: row 1 is taken, and it misses row 5");
        assertEquals(new TopOne(3, 1.0, 2, true), TopOne.of(scores, 2, List.<int[]>of(new int[] {5, 5}), 2),
                "from row 2 the first of the tie is row 3, within 2 of row 5");
    }

    @Test
    void noScoreAfterTheTrainingRowsIsNoHit() {
        TopOne none = TopOne.of(new double[] {0.5, NAN, NAN}, 1, List.<int[]>of(new int[] {0, 2}), 100);
        assertEquals(-1, none.row());
        assertFalse(none.hit());
        assertThrows(IllegalArgumentException.class, () -> TopOne.of(new double[1], 0, List.of(), -1));
    }

    @Test
    void labelRunsAreTheLabelledStretches() {
        List<int[]> runs = TopOne.runs(new float[] {1, 0, 0, 1, 1, 0, 1});
        assertEquals(3, runs.size());
        assertArrayEquals(new int[] {0, 0}, runs.get(0));
        assertArrayEquals(new int[] {3, 4}, runs.get(1));
        assertArrayEquals(new int[] {6, 6}, runs.get(2));
        assertTrue(TopOne.runs(new float[] {0, 0.5f}).isEmpty(), "a label of 0.5 is normal");
    }
}
