package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One likelihood alarm per event; surprises flag at once, as rare as the key's own tail allows; the settings' thresholds. */
class AnomalyFlagsTest {
    private static final StepperSettings ON = StepperSettings.defaults().withAnomalyScoring(true);
    private static final KeyLayout LAYOUT = new KeyLayout(IntervalsAndLikelihoodTest.lastValue(6), true);

    /** Flags of a run of rows given their (score, surprise) pairs, from a fresh key. */
    private static String flags(AnomalyFlags f, float[][] rows) {
        float[] st = new float[LAYOUT.size];
        StringBuilder out = new StringBuilder();
        for (float[] r : rows) {
            out.append(f.flag(st, r[0], false, r[1]) ? 'F' : '.');
        }
        return out.toString();
    }

    private static float[][] rows(int n, float score, float surprise) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new float[] {score, surprise};
        }
        return out;
    }

    @Test
    void aHighLikelihoodFlagsOnceThenRestsForTheAveragingWindow() {
        AnomalyFlags f = new AnomalyFlags(LAYOUT, ON);
        // A run at 0.7 flags at its first row only: every row of it reaches the threshold and restarts the quiet.
        assertEquals("F........................", flags(f, rows(25, 0.7f, 1f)));
        // After 10 quiet rows the next reach flags again; after 9 it does not.
        float[][] r = rows(24, 0.2f, Float.NaN);
        r[0][0] = 0.7f;
        r[11][0] = 0.7f;
        r[21][0] = 0.7f;
        assertEquals("F..........F............", flags(f, r));
        assertEquals("....", flags(f, rows(4, 0.2f, Float.NaN)), "below both thresholds");
    }

    @Test
    void aKeyWhoseSurprisesOftenReachFiveLearnsItsOwnTail() {
        // Every 20th row a surprise of 6 (5 % of rows, where normal errors give 1e-4): the first ones flag; the
        // key's 99.9 % quantile, starting at the threshold 4.5, rises 10 % a time past 6 and they stop (4.5 x
        // 1.1^4 > 6: four flag), while a 12 still flags.
        AnomalyFlags f = new AnomalyFlags(LAYOUT, ON);
        float[] st = new float[LAYOUT.size];
        int early = 0;
        int late = 0;
        for (int r = 0; r < 20_000; r++) {
            boolean flagged = f.flag(st, 0.1f, false, r % 20 == 0 ? 6f : 1f);
            early += r < 200 && flagged ? 1 : 0;
            late += r >= 10_000 && flagged ? 1 : 0;
        }
        assertEquals(4, early, "the first four flag");
        assertTrue(late <= 10, "then about 1 in 1,000 rows at most: " + late + " of 10,000");
        assertTrue(f.flag(st, 0.1f, false, 12f), "a surprise beyond the key's tail still flags");
    }

    @Test
    void surprisesFlagEveryTimeAndOpenAQuietPeriodForTheLikelihood() {
        AnomalyFlags f = new AnomalyFlags(LAYOUT, ON);
        float[][] r = rows(18, 0.2f, 1f);
        r[0] = new float[] {0.1f, 6f};
        r[1] = new float[] {0.7f, 6f};
        r[5][0] = 0.7f;
        r[16][0] = 0.7f;
        // rows 0 and 1 by surprise (the score of row 1 too); row 5 is within 10 rows of row 1 and restarts the
        // quiet period; row 16 is 11 rows after it.
        assertEquals("FF..............F.", flags(f, r));
        AnomalyFlags off = new AnomalyFlags(LAYOUT, ON.withSurpriseThreshold(0));
        assertEquals("...", flags(off, rows(3, 0.1f, 100f)), "surprise threshold 0: off");
        AnomalyFlags low = new AnomalyFlags(LAYOUT, ON.withFlagThreshold(0.1));
        assertEquals("F.", flags(low, rows(2, 0.15f, Float.NaN)), "the flag threshold is the setting's");
    }

    @Test
    void aNewExtremeReachesEveryThresholdThoughItScoresUnderOne() {
        AnomalyFlags one = new AnomalyFlags(LAYOUT, ON.withFlagThreshold(1.0));
        float[] st = new float[LAYOUT.size];
        assertTrue(!one.flag(st, 0.9995f, false, Float.NaN), "a likelihood under 1 does not reach 1");
        assertTrue(one.flag(st, 0.9995f, true, Float.NaN), "a new extreme does");
        assertTrue(!one.flag(st, 0.9995f, true, Float.NaN), "and opens the quiet period like any flag");
    }
}
