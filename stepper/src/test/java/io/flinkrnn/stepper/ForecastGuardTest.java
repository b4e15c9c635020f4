package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.ModelValidationException;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The guard on its own, fed the changes a model proposes: it trusts a model that wins, falls back to the last
 * value on one that loses, and with a recent window falls back within a few rows of a regime change.
 */
class ForecastGuardTest {
    static final int CHANGE_AT = 400;

    /** One target, {@code steps} steps ahead, forecast relative to the last value, the guard on without options. */
    static ForecastModel.Builder guarded(int steps) {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, steps, 5);
        return ForecastModel.builder(net).features(List.of("y")).targets(List.of("y")).relativeToLast(true)
                .guard(true);
    }

    /** One target, {@code steps} steps ahead, the guard on with {@code recent} forecasts of recent window. */
    static ForecastModel model(int recent, int steps) {
        return guarded(steps).guardRecent(recent).build();
    }

    static ForecastModel model(int recent) {
        return model(recent, 1);
    }

    /**
     * A random walk the model forecasts well (its change is 90 % of the true one) until {@link #CHANGE_AT}, where
     * the level shifts by 60 noise units unforeseen; from then on the model proposes a reversion of 20 units
     * at every step (it reads the shift as a spike). Returns, per row and output, the share of the model's
     * change the guard kept.
     */
    static float[][] trust(ForecastModel m, int rows) {
        return trust(m, rows, new ForecastSource[rows][m.steps()]);
    }

    /** The same, each forecast's source into {@code sources[row][step - 1]}. */
    static float[][] trust(ForecastModel m, int rows, ForecastSource[][] sources) {
        KeyLayout layout = new KeyLayout(m, false);
        ForecastGuard guard = new ForecastGuard(m, layout);
        int steps = m.steps();
        float[] st = new float[layout.size];
        SplittableRandom rnd = new SplittableRandom(3);
        float[] walk = new float[rows + steps];
        float[] y = new float[rows + steps];
        for (int t = 1; t < y.length; t++) {
            walk[t] = walk[t - 1] + (float) rnd.nextGaussian();
            y[t] = walk[t] + (t >= CHANGE_AT ? 60f : 0f);
        }
        float[][] kept = new float[rows][steps];
        for (int t = 0; t < rows; t++) {
            guard.learn(st, null, y, t);
            for (int k = 1; k <= steps; k++) {
                float d = t < CHANGE_AT ? 0.9f * (walk[t + k] - walk[t]) : -20f;
                float f = guard.apply(st, k - 1, y[t], y[t] + d);
                kept[t][k - 1] = (f - y[t]) / d;
                sources[t][k - 1] = guard.source();
            }
            layout.countRow(st);
        }
        return kept;
    }

    /** Rows after the change until the guard keeps none of the model's change at step {@code k}. */
    static int rowsToFallBack(float[][] kept, int k) {
        for (int t = CHANGE_AT; t < kept.length; t++) {
            if (kept[t][k - 1] == 0f) {
                return t - CHANGE_AT;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void aModelThatWinsIsTrustedWholly() {
        for (int recent : new int[] {0, 5}) {
            float[][] kept = trust(model(recent), CHANGE_AT);
            int whole = 0;
            for (int t = 50; t < CHANGE_AT; t++) {
                whole += Math.abs(kept[t][0] - 1f) < 1e-4f ? 1 : 0;
            }
            assertTrue(whole >= 0.98 * (CHANGE_AT - 50), "recent " + recent + ": the full change on " + whole
                    + " of " + (CHANGE_AT - 50) + " rows: noise in a short window must not throw a winner away");
        }
    }

    @Test
    void eachForecastNamesTheBlendItCameFrom() {
        int rows = CHANGE_AT + 200;
        ForecastSource[][] sources = new ForecastSource[rows][4];
        float[][] kept = trust(model(5, 4), rows, sources);
        java.util.EnumMap<ForecastSource, Integer> seen = new java.util.EnumMap<>(ForecastSource.class);
        for (int t = 0; t < rows; t++) {
            for (int k = 1; k <= 4; k++) {
                // The kept share of a tiny change is rounded; the blends are 0.25 apart.
                float g = kept[t][k - 1];
                ForecastSource expected = Math.abs(g - 1f) < 0.1f ? ForecastSource.NETWORK
                        : g == 0f ? ForecastSource.LAST_VALUE : ForecastSource.BLEND;
                assertEquals(expected, sources[t][k - 1], "row " + t + ", step " + k + ": kept " + g);
                seen.merge(expected, 1, Integer::sum);
            }
        }
        assertEquals(java.util.Set.of(ForecastSource.NETWORK, ForecastSource.BLEND, ForecastSource.LAST_VALUE),
                seen.keySet(), "the model trusted before the change, dropped after it, blends between: " + seen);
    }

    @Test
    void theRecentWindowFallsBackWithinAFewRowsOfARegimeChange() {
        int slow = rowsToFallBack(trust(model(0), CHANGE_AT + 200), 1);
        int fast = rowsToFallBack(trust(model(5), CHANGE_AT + 200), 1);
        assertTrue(fast <= 5, "with a window of 5 the last value is back within 5 rows, took " + fast);
        assertTrue(slow > 2 * fast, "the long-run means alone take " + slow + " rows: what the window is for");
        float[][] kept = trust(model(5), CHANGE_AT + 200);
        for (int t = CHANGE_AT + fast; t < kept.length; t++) {
            // The shift's own error, in every blend's recent mean alike, blunts the ratio for a few rows.
            float most = t < CHANGE_AT + 2 * 5 ? 0.25f : 0f;
            assertTrue(kept[t][0] <= most, "row " + t + ": a model that keeps losing stays out, kept " + kept[t][0]);
        }
    }

    @Test
    void longerStepsFallBackWithTheFirstStep() {
        // Step k's own errors of the change resolve only k rows after it; the one-step errors at once.
        float[][] kept = trust(model(5, 4), CHANGE_AT + 200);
        int first = rowsToFallBack(kept, 1);
        for (int k = 2; k <= 4; k++) {
            assertEquals(first, rowsToFallBack(kept, k), "step " + k + " falls back on the row step 1 does");
        }
    }

    @Test
    void aRecentWindowNeedsTheGuardAndAtLeastTwoForecasts() {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 1, 5);
        ForecastModel.Builder b = ForecastModel.builder(net).features(List.of("y")).relativeToLast(true);
        String off = assertThrows(ModelValidationException.class, () -> b.guardRecent(5).build()).getMessage();
        assertTrue(off.contains("needs the guard on"), off);
        String one = assertThrows(ModelValidationException.class, () -> b.guard(true).guardRecent(1).build())
                .getMessage();
        assertTrue(one.contains("0 (none) or at least 2 forecasts, got 1"), one);
        assertEquals(new KeyLayout(b.guardRecent(0).build(), false).size + 5,
                new KeyLayout(b.guardRecent(5).build(), false).size, "5 more floats per output, none without");
    }

    static ForecastModel levelModel(int level, int steps) {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, steps, 5);
        return ForecastModel.builder(net).features(List.of("y")).targets(List.of("y")).relativeToLast(true)
                .guard(true).guardRecent(5).guardLevel(level).build();
    }

    /**
     * Noise around a level that moves once, by 8 noise units, at {@link #CHANGE_AT}, and a model that proposes
     * a change of half the last row's noise (reading it as signal). Returns each row's forecasts per step.
     */
    static float[][] aroundALevel(ForecastModel m, int rows, float[] y) {
        return aroundALevel(m, rows, y, new ForecastSource[rows][m.steps()]);
    }

    static float[][] aroundALevel(ForecastModel m, int rows, float[] y, ForecastSource[][] sources) {
        KeyLayout layout = new KeyLayout(m, false);
        ForecastGuard guard = new ForecastGuard(m, layout);
        float[] st = new float[layout.size];
        float[][] f = new float[rows][m.steps()];
        for (int t = 0; t < rows; t++) {
            guard.learn(st, null, y, t);
            float base = t >= CHANGE_AT ? 8f : 0f;
            for (int k = 1; k <= m.steps(); k++) {
                f[t][k - 1] = guard.apply(st, k - 1, y[t], y[t] + 0.5f * (y[t] - base));
                sources[t][k - 1] = guard.source();
            }
            layout.countRow(st);
        }
        return f;
    }

    static float[] noiseAroundALevel(int rows) {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] y = new float[rows];
        for (int t = 0; t < rows; t++) {
            y[t] = (t >= CHANGE_AT ? 8f : 0f) + (float) rnd.nextGaussian();
        }
        return y;
    }

    static double mae(float[][] f, float[] y, int k, int from, int to) {
        double sum = 0;
        for (int t = from; t < to; t++) {
            sum += Math.abs(y[t + k] - f[t][k - 1]);
        }
        return sum / (to - from);
    }

    @Test
    void theLevelForecastsLaterStepsOfNoiseAroundALevelBetterThanAnyBlend() {
        int rows = 2 * CHANGE_AT;
        float[] y = noiseAroundALevel(rows + 3);
        float[][] with = aroundALevel(levelModel(12, 3), rows, y);
        float[][] without = aroundALevel(levelModel(0, 3), rows, y);
        for (int t = 0; t < rows; t++) {
            assertEquals(Float.floatToIntBits(without[t][0]), Float.floatToIntBits(with[t][0]),
                    "row " + t + ": step 1 never uses the level");
        }
        for (int k = 2; k <= 3; k++) {
            for (int[] range : new int[][] {{50, CHANGE_AT}, {CHANGE_AT + 50, rows}}) {
                double a = mae(with, y, k, range[0], range[1]);
                double b = mae(without, y, k, range[0], range[1]);
                assertTrue(a < 0.85 * b, "step " + k + ", rows " + range[0] + ".." + range[1] + ": level MAE " + a
                        + " against the blends' " + b + ": the level averages out the last row's noise, and"
                        + " follows the level's move");
            }
        }
    }

    @Test
    void aForecastByTheLevelSaysSoAndOnlyLaterStepsAreEver() {
        int rows = 2 * CHANGE_AT;
        ForecastSource[][] sources = new ForecastSource[rows][3];
        aroundALevel(levelModel(12, 3), rows, noiseAroundALevel(rows + 3), sources);
        int[] byLevel = new int[3];
        for (int t = 0; t < rows; t++) {
            for (int k = 1; k <= 3; k++) {
                byLevel[k - 1] += sources[t][k - 1] == ForecastSource.LEVEL ? 1 : 0;
            }
        }
        assertEquals(0, byLevel[0], "step 1 never uses the level");
        for (int k = 2; k <= 3; k++) {
            assertTrue(byLevel[k - 1] > rows / 2, "step " + k + ": the level forecast " + byLevel[k - 1] + " of "
                    + rows + " rows of noise around a level");
        }
    }

    @Test
    void aLevelNeedsTheGuardASpanOfTwoRowsAndASecondStep() {
        RnnModel one = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 1, 5);
        RnnModel two = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 2, 5);
        ForecastModel.Builder b = ForecastModel.builder(two).features(List.of("y")).relativeToLast(true);
        String off = assertThrows(ModelValidationException.class, () -> b.guardLevel(12).build()).getMessage();
        assertTrue(off.contains("needs the guard on"), off);
        String span = assertThrows(ModelValidationException.class, () -> b.guard(true).guardLevel(1).build())
                .getMessage();
        assertTrue(span.contains("0 (none) or at least 2 rows, got 1"), span);
        String steps = assertThrows(ModelValidationException.class, () -> ForecastModel.builder(one)
                .features(List.of("y")).relativeToLast(true).guard(true).guardLevel(12).build()).getMessage();
        assertTrue(steps.contains("forecasts one step"), steps);
        assertEquals(new KeyLayout(b.guardLevel(0).build(), false).size + 1 + 1 + 2 + 1,
                new KeyLayout(b.guardLevel(12).build(), false).size, "count, level, 2 origins, step 2's error");
    }

    static ForecastModel evidenceModel(float evidence) {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 1, 5);
        return ForecastModel.builder(net).features(List.of("y")).targets(List.of("y")).relativeToLast(true)
                .guard(true).guardRecent(5).guardEvidence(evidence).build();
    }

    /**
     * A random walk and a model whose one-step change is {@code skill} times the true next step plus noise of the
     * step's size: at {@code skill} 1/8 the 0.25 blend's expected error equals the last value's (a tie, which the
     * long-run errors then decide by noise), at 0.9 the model wins clearly. Returns per row the one-step forecast's
     * absolute error minus the last value's, and counts in {@code left[0]} the rows that left the last value.
     */
    static double[] againstTheLastValue(ForecastModel m, float skill, int rows, int[] left) {
        KeyLayout layout = new KeyLayout(m, false);
        ForecastGuard guard = new ForecastGuard(m, layout);
        float[] st = new float[layout.size];
        SplittableRandom rnd = new SplittableRandom(5);
        float[] y = new float[rows + 1];
        for (int t = 1; t < y.length; t++) {
            y[t] = y[t - 1] + (float) rnd.nextGaussian();
        }
        double[] diff = new double[rows];
        for (int t = 0; t < rows; t++) {
            guard.learn(st, null, y, t);
            float d = skill * (y[t + 1] - y[t]) + (float) rnd.nextGaussian();
            float f = guard.apply(st, 0, y[t], y[t] + d);
            left[0] += f != y[t] ? 1 : 0;
            diff[t] = Math.abs(y[t + 1] - f) - Math.abs(y[t + 1] - y[t]);
            layout.countRow(st);
        }
        return diff;
    }

    @Test
    void theEvidenceTestKeepsTheLastValueThroughANearTieAndStillTrustsAClearWinner() {
        int rows = 4000;
        int[] loose = new int[1];
        int[] strict = new int[1];
        againstTheLastValue(evidenceModel(0f), 0.125f, rows, loose);
        double lossWith = java.util.Arrays.stream(againstTheLastValue(evidenceModel(1f), 0.125f, rows, strict)).sum();
        assertTrue(loose[0] > rows / 20, "the near tie sends the plain guard off the last value on " + loose[0]
                + " rows: what the test is for");
        assertTrue(strict[0] < loose[0] / 3, "with the test " + strict[0] + " rows, without " + loose[0]);
        // A tie costs nothing either way on average (the last value's own error is 0.8 a row); what the test buys
        // is staying put, which matters where the tie is decided by a few bursts (BENCHMARKS.md).
        assertTrue(Math.abs(lossWith) < 0.002 * rows, "error against the last value with the test " + lossWith);
        int[] winner = new int[1];
        double[] wins = againstTheLastValue(evidenceModel(1f), 0.9f, rows, winner);
        assertTrue(winner[0] > 0.97 * rows, "a clear winner is trusted on " + winner[0] + " of " + rows + " rows");
        assertTrue(java.util.Arrays.stream(wins).sum() < -0.1 * rows, "and beats the last value");
    }

    @Test
    void anEvidenceTestNeedsTheGuardAndAFiniteNonNegativeThreshold() {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 1, 5);
        ForecastModel.Builder b = ForecastModel.builder(net).features(List.of("y")).relativeToLast(true);
        String off = assertThrows(ModelValidationException.class, () -> b.guardEvidence(1f).build()).getMessage();
        assertTrue(off.contains("needs the guard on"), off);
        for (float bad : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            String m = assertThrows(ModelValidationException.class, () -> b.guard(true).guardEvidence(bad).build())
                    .getMessage();
            assertTrue(m.contains("finite number of standard errors >= 0, got " + bad), m);
        }
        assertEquals(new KeyLayout(b.guardEvidence(0f).build(), false).size + 1 + 4 * 2,
                new KeyLayout(b.guardEvidence(1f).build(), false).size,
                "a count, a mean and a square per blend above 0");
    }

    /**
     * A key whose true change is +1 on four rows of five and -9 on the fifth, and a model that always proposes +1:
     * right on the median, wrong on the mean. Returns the share of the model's change the guard keeps at the end.
     */
    static float keptOnASkewedSeries(GuardError error) {
        ForecastModel m = guarded(1).guardError(error).build();
        KeyLayout layout = new KeyLayout(m, false);
        ForecastGuard guard = new ForecastGuard(m, layout);
        float[] st = new float[layout.size];
        int rows = 1000;
        float[] y = new float[rows + 1];
        for (int t = 1; t <= rows; t++) {
            y[t] = y[t - 1] + (t % 5 == 0 ? -9f : 1f);
        }
        float kept = Float.NaN;
        for (int t = 0; t < rows; t++) {
            guard.learn(st, null, y, t);
            kept = guard.apply(st, 0, y[t], y[t] + 1f) - y[t];
            layout.countRow(st);
        }
        return kept;
    }

    @Test
    void theGuardChoosesByTheErrorItIsToldToJudgeBy() {
        // Mean absolute error: the model (2.0 a row) beats the last value (2.6); mean squared: 20 against 17.
        assertEquals(1f, keptOnASkewedSeries(GuardError.ABSOLUTE), "the median-right model by absolute error");
        assertEquals(0f, keptOnASkewedSeries(GuardError.SQUARED), "the mean-right last value by squared error");
    }

    @Test
    void aGlitchBeyondFloatsRangeSquaredLeavesTheGuardFinite() {
        // A counter that glitches by 1e12, then by 1e20, under a model that proposes +1e8 a row: the evidence test
        // squares a difference of squared misses (about (2 x 1e8 x 1e12)^2 = 4e40 at the first) and the second's own
        // square is 1e40, both past float's range; infinity less infinity would leave NaN in the state for good.
        ForecastModel m = guarded(1).guardRecent(5).guardEvidence(1f).guardError(GuardError.SQUARED).build();
        KeyLayout layout = new KeyLayout(m, false);
        ForecastGuard guard = new ForecastGuard(m, layout);
        float[] st = new float[layout.size];
        int rows = 600;
        float[] y = new float[rows + 1];
        for (int t = 1; t <= rows; t++) {
            y[t] = 1e9f + 1e6f * t + (t == 200 ? 1e12f : 0f) + (t == 400 ? 1e20f : 0f);
        }
        for (int t = 0; t < rows; t++) {
            guard.learn(st, null, y, t);
            float f = guard.apply(st, 0, y[t], y[t] + 1e8f);
            assertTrue(Float.isFinite(f), "row " + t + ": forecast " + f);
            layout.countRow(st);
        }
        for (int i = 0; i < st.length; i++) {
            assertTrue(Float.isFinite(st[i]), "state float " + i + " is " + st[i]);
        }
    }

    @Test
    void judgingBySquaredErrorNeedsTheGuard() {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 1, 5);
        ForecastModel.Builder b = ForecastModel.builder(net).features(List.of("y")).relativeToLast(true);
        String m = assertThrows(ModelValidationException.class, () -> b.guardError(GuardError.SQUARED).build())
                .getMessage();
        assertTrue(m.contains("squared error needs the guard on"), m);
        String none = assertThrows(ModelValidationException.class, () -> b.guard(true).guardError(null).build())
                .getMessage();
        assertTrue(none.contains("ABSOLUTE or SQUARED"), none);
        assertEquals(new KeyLayout(b.guard(true).guardError(GuardError.ABSOLUTE).build(), false).size,
                new KeyLayout(b.guard(true).guardError(GuardError.SQUARED).build(), false).size,
                "the same floats, meaning squares");
    }
}
