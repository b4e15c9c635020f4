package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The surprise test flags a level shift within 3 rows where the likelihood alone does not, stays quiet on noise,
 * waits for its warm-up, copes with a constant series, and keeps to the spike statistic for short horizons.
 */
class SurpriseTestTest {
    private static final StepperSettings ON = StepperSettings.defaults().withAnomalyScoring(true);

    /** Per row: [surprise, flagged (1/0), raw score]. */
    private static float[][] run(ForecastModel m, StepperSettings settings, float[] v) {
        float[][] out = new float[v.length][];
        OneKey.run(m, settings, v, v.length, (r, s, b) ->
                out[r] = new float[] {b.surprise(0), b.flagged(0) ? 1 : 0, b.rawScore(0)});
        return out;
    }

    /**
     * N(0, 1) noise on a flat level with a shift of 5 at [3000, 3006), and at [1000, 1006) one of 8, which widens
     * the key's range so that the later shift is no new extreme (those score near 1 at once).
     */
    private static float[] shifted() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] v = new float[4000];
        for (int i = 0; i < v.length; i++) {
            float shift = i >= 3000 && i < 3006 ? 5f : i >= 1000 && i < 1006 ? 8f : 0f;
            v[i] = 100f + (float) rnd.nextGaussian() + shift;
        }
        return v;
    }

    private static int firstFlag(float[][] out, int from, int to) {
        for (int r = from; r < to; r++) {
            if (out[r][1] == 1) {
                return r;
            }
        }
        return -1;
    }

    @Test
    void aShiftIsFlaggedWithinThreeRowsAndNoiseRarely() {
        // With the last value as the forecast, on the shift's third row the window statistic is N(5, 2/3) against
        // a scale of 0.8 x sqrt(2/3): a ratio near 7.7, at least 5 with probability 0.98, while that row's one-step
        // error is ordinary noise; the likelihood's 10-row average is slower.
        float[] v = shifted();
        float[][] with = run(IntervalsAndLikelihoodTest.lastValue(6), ON, v);
        float[][] without = run(IntervalsAndLikelihoodTest.lastValue(6), ON.withSurpriseThreshold(0), v);
        assertTrue(with[3002][2] < 3f, "an ordinary one-step error on the third row: " + with[3002][2]);
        assertTrue(with[3002][0] >= 5f, "a surprise there, from the window: " + with[3002][0]);
        int at = firstFlag(with, 3000, 3004);
        assertTrue(at >= 3000 && with[at][0] >= 5f, "flagged within 3 rows of the shift's start, by its surprise");
        assertEquals(-1, firstFlag(without, 3000, 3004), "the likelihood alone is slower");
        int falseFlags = 0;
        for (int r = 1100; r < 3000; r++) {
            falseFlags += (int) with[r][1];
        }
        // Two statistics at about 6e-5 each per row on normal errors: ~0.2 expected in 1,900 rows.
        assertTrue(falseFlags <= 2, "noise rarely flags: " + falseFlags + " of 1900");
    }

    @Test
    void noSurpriseDuringWarmUpAndNoneFromAConstantSeries() {
        float[] v = new float[400];
        java.util.Arrays.fill(v, 7f);
        v[300] = 8f;
        float[][] out = run(IntervalsAndLikelihoodTest.lastValue(6), ON, v);
        for (int r = 0; r < SurpriseTest.MIN_ROWS; r++) {
            assertTrue(Float.isNaN(out[r][0]), "warm-up row " + r);
        }
        for (int r = SurpriseTest.MIN_ROWS; r < 300; r++) {
            assertEquals(0f, out[r][0], "a constant series is no surprise, row " + r);
            assertEquals(0f, out[r][1], "row " + r);
        }
        assertEquals(1f, out[300][1], "the first change after a constant stretch is flagged");
        assertFalse(Float.isNaN(out[301][0]) || Float.isInfinite(out[301][0]), "finite after it: " + out[301][0]);
    }

    @Test
    void aShortHorizonHasTheOneStepStatisticOnly() {
        ForecastModel three = IntervalsAndLikelihoodTest.lastValue(3);
        ForecastModel six = IntervalsAndLikelihoodTest.lastValue(6);
        assertEquals(new KeyLayout(three, true).flags, new KeyLayout(three, true).surprise,
                "no window state below " + SurpriseTest.SPAN + " steps");
        assertEquals(1 + SurpriseTest.PER_TARGET, new KeyLayout(six, true).flags - new KeyLayout(six, true).surprise);
        float[] v = shifted();
        OneKey.run(three, ON, v, 1000, (r, s, b) -> {
            if (r >= SurpriseTest.MIN_ROWS) {
                assertEquals(Float.floatToIntBits(b.rawScore(0)), Float.floatToIntBits(b.surprise(0)), "row " + r);
            }
        });
    }

    @Test
    void aKeyFromBeforeTheTestKeepsItsFeaturesAndWarmsTheTestUpAgain() {
        // A key restored from a savepoint written before the surprise test existed has a vector that ends where
        // the test's part begins: it keeps everything else (its forecasts go on as if uninterrupted) and the test
        // starts from its own first row, instead of reading zeros as forecasts. So do the longer likelihoods of the
        // context part after it, which is why the scores agree up to the cut only.
        ForecastModel m = IntervalsAndLikelihoodTest.lastValue(6);
        float[] v = shifted();
        KeyLayout layout = new KeyLayout(m, true);
        float[][] straight = new float[v.length][];
        float[][] upgraded = new float[v.length][];
        int cut = 1500;
        try (KeyStepper a = new KeyStepper(m, ON, new CpuStepBackend(m.network(), 1, "a"), 1);
                KeyStepper b = new KeyStepper(m, ON, new CpuStepBackend(m.network(), 1, "b"), 1)) {
            KeyState sa = null;
            KeyState sb = null;
            for (int r = 0; r < v.length; r++) {
                if (r == cut) {
                    sb = new KeyState(sb.recurrent(), sb.steps(), sb.lastEventTime(),
                            java.util.Arrays.copyOf(sb.features(), layout.surprise));
                }
                sa = stepOne(a, sa, v, r, straight);
                sb = stepOne(b, sb, v, r, upgraded);
            }
        }
        for (int r = 0; r < v.length; r++) {
            assertEquals(Float.floatToIntBits(straight[r][1]), Float.floatToIntBits(upgraded[r][1]), "forecast " + r);
            if (r < cut) {
                assertEquals(Float.floatToIntBits(straight[r][2]), Float.floatToIntBits(upgraded[r][2]), "score " + r);
            } else {
                assertTrue(upgraded[r][2] >= 0f && upgraded[r][2] <= 1f, "a score in [0, 1], row " + r);
            }
        }
        for (int r = cut; r < cut + SurpriseTest.MIN_ROWS; r++) {
            assertTrue(Float.isNaN(upgraded[r][0]), "the test warms up again, row " + r);
        }
        int flags = 0;
        for (int r = cut + SurpriseTest.MIN_ROWS; r < 3000; r++) {
            flags += upgraded[r][0] >= 5f ? 1 : 0;
        }
        assertTrue(flags <= 2, "and then judges real forecasts: " + flags + " surprises");
        assertTrue(upgraded[3002][0] >= 5f, "the shift: " + upgraded[3002][0]);
    }

    /** One row through {@code s}; out[r] = [surprise, forecast 1 step, anomaly score]. */
    private static KeyState stepOne(KeyStepper s, KeyState state, float[] v, int r, float[][] out) {
        StepBatch b = s.batch();
        b.clear();
        b.add("k", r * 60_000L, v, r);
        KeyStateStore.InMemory store = KeyStateStore.inMemory();
        store.write("k", state);
        s.step(b, store);
        out[r] = new float[] {b.surprise(0), b.forecast(0, 0), b.score(0)};
        return store.read("k");
    }

    @Test
    void thresholdsAreValidated() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ON.withSurpriseThreshold(0.5));
        assertTrue(e.getMessage().contains("surprise threshold must be at least 1"), e.getMessage());
    }
}
