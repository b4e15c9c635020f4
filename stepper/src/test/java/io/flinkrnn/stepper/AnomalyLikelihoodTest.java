package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** New extremes: near 1 and flagged at any threshold, as when they scored 1, but the larger jump ranks first. */
class AnomalyLikelihoodTest {
    @Test
    void aNewExtremeScoresFromTheFloorUpToOneWithItsRawScore() {
        assertEquals(AnomalyLikelihood.EXTREME_FLOOR, AnomalyLikelihood.extremeScore(AnomalyLikelihood.EXTREME_RAW));
        assertTrue(AnomalyLikelihood.extremeScore(5f) < AnomalyLikelihood.extremeScore(8f));
        assertTrue(AnomalyLikelihood.extremeScore(1000f) < AnomalyLikelihood.extremeScore(2000f),
                "distinct in float32 far up: " + AnomalyLikelihood.extremeScore(1000f));
        assertTrue(AnomalyLikelihood.extremeScore(1000f) < 1f);
        assertEquals(1f, AnomalyLikelihood.extremeScore(Float.MAX_VALUE), "the largest float: 1");
    }

    @Test
    void twoNewExtremesOfDifferentSizesNoLongerTieAndBothFlagAtThresholdOne() {
        // Noise N(0, 1), then a jump to 6 at row 1500 and to -9 at row 1800: both beyond the key's range, the
        // second by more; the ten-row likelihood of one such row is mild, so the extreme rule decides the score.
        SplittableRandom rnd = new SplittableRandom(3);
        float[] v = new float[2000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        v[1500] = 6f;
        v[1800] = -9f;
        float[] score = new float[v.length];
        boolean[] flagged = new boolean[v.length];
        StepperSettings atOne = StepperSettings.defaults().withAnomalyScoring(true).withFlagThreshold(1.0)
                .withSurpriseThreshold(0);
        OneKey.run(IntervalsAndLikelihoodTest.lastValue(1), atOne, v, v.length, (r, s, b) -> {
            score[r] = b.score(0);
            flagged[r] = b.flagged(0);
        });
        for (int r : new int[] {1500, 1800}) {
            assertTrue(score[r] >= AnomalyLikelihood.EXTREME_FLOOR && score[r] < 1f, "row " + r + ": " + score[r]);
            assertTrue(flagged[r], "a new extreme reaches threshold 1, row " + r);
        }
        assertTrue(score[1800] > score[1500], score[1800] + " vs " + score[1500]);
        int others = 0;
        for (int r = 1000; r < v.length; r++) {
            others += r != 1500 && r != 1800 && (flagged[r] || score[r] >= AnomalyLikelihood.EXTREME_FLOOR) ? 1 : 0;
        }
        assertEquals(0, others, "nothing else reaches the floor or threshold 1");
    }
}
