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

    /** One target, one step ahead, the guard on with {@code recent} forecasts of recent window. */
    static ForecastModel model(int recent) {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 1, 5);
        return ForecastModel.builder(net).features(List.of("y")).targets(List.of("y")).relativeToLast(true)
                .guard(true).guardRecent(recent).build();
    }

    /**
     * A random walk the model forecasts well (its change is 90 % of the true one) until {@link #CHANGE_AT}; from
     * then on the level has shifted and the model proposes a reversion of 20 noise units on every row (it
     * reads the shift as a spike). Returns, per row, the share of the model's change the guard kept.
     */
    static float[] trust(ForecastModel m, int rows) {
        KeyLayout layout = new KeyLayout(m, false);
        ForecastGuard guard = new ForecastGuard(m, layout);
        float[] st = new float[layout.size];
        SplittableRandom rnd = new SplittableRandom(3);
        float[] y = new float[rows + 1];
        for (int t = 1; t <= rows; t++) {
            y[t] = y[t - 1] + (float) rnd.nextGaussian() + (t == CHANGE_AT ? 60f : 0f);
        }
        float[] kept = new float[rows];
        for (int t = 0; t < rows; t++) {
            guard.learn(st, y, t);
            float d = t < CHANGE_AT ? 0.9f * (y[t + 1] - y[t]) : -20f;
            float f = guard.apply(st, 0, y[t], y[t] + d);
            kept[t] = (f - y[t]) / d;
            KeyLayout.countRow(st);
        }
        return kept;
    }

    /** Rows after the change until the guard keeps none of the model's change. */
    static int rowsToFallBack(float[] kept) {
        for (int t = CHANGE_AT; t < kept.length; t++) {
            if (kept[t] == 0f) {
                return t - CHANGE_AT;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void aModelThatWinsIsTrustedWholly() {
        for (int recent : new int[] {0, 5}) {
            float[] kept = trust(model(recent), CHANGE_AT);
            int whole = 0;
            for (int t = 50; t < CHANGE_AT; t++) {
                whole += Math.abs(kept[t] - 1f) < 1e-4f ? 1 : 0;
            }
            assertTrue(whole >= 0.98 * (CHANGE_AT - 50), "recent " + recent + ": the full change on " + whole
                    + " of " + (CHANGE_AT - 50) + " rows: noise in a short window must not throw a winner away");
        }
    }

    @Test
    void theRecentWindowFallsBackWithinAFewRowsOfARegimeChange() {
        int slow = rowsToFallBack(trust(model(0), CHANGE_AT + 200));
        int fast = rowsToFallBack(trust(model(5), CHANGE_AT + 200));
        assertTrue(fast <= 5, "with a window of 5 the last value is back within 5 rows, took " + fast);
        assertTrue(slow > 2 * fast, "the long-run means alone take " + slow + " rows: what the window is for");
        float[] kept = trust(model(5), CHANGE_AT + 200);
        for (int t = CHANGE_AT + fast; t < kept.length; t++) {
            assertTrue(kept[t] == 0f, "row " + t + ": a model that keeps losing stays out, kept " + kept[t]);
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
}
