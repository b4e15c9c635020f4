package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The guard's linear model: it learns a key's own cycle that a
 * network proposing no change misses, the guard then forecasts with it, and it lives in a part of its own.
 */
class LinearForecasterTest {
    static final int ROWS = 600;

    static ForecastModel model(int steps, int linear) {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, steps, 5);
        return ForecastModel.builder(net).features(List.of("y")).targets(List.of("y")).relativeToLast(true)
                .guard(true).guardRecent(5).guardLinear(linear).build();
    }

    /** A cycle of 12 rows (an hourly one at 5 minutes) with noise: the network below proposes no change at all. */
    static float[] cycle(int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] y = new float[rows];
        for (int t = 0; t < rows; t++) {
            y[t] = 50f + 10f * (float) Math.sin(2 * Math.PI * t / 12) + 0.3f * (float) rnd.nextGaussian();
        }
        return y;
    }

    /** Steps a key through the guard alone with a network that proposes no change; returns the guarded forecasts. */
    static float[][] guarded(ForecastModel m, float[] y) {
        return guarded(m, y, new ForecastSource[y.length][m.outputs()]);
    }

    /** The same, each forecast's source into {@code sources[row][output]}. */
    static float[][] guarded(ForecastModel m, float[] y, ForecastSource[][] sources) {
        KeyLayout layout = new KeyLayout(m, false);
        ForecastGuard guard = new ForecastGuard(m, layout);
        float[] st = new float[layout.size];
        float[] history = new float[LinearPartLayout.historySize(m)];
        float[][] out = new float[y.length][m.outputs()];
        for (int t = 0; t < y.length; t++) {
            guard.learn(st, history, y, t);
            for (int i = 0; i < m.outputs(); i++) {
                out[t][i] = guard.apply(st, i, y[t], y[t]);
                sources[t][i] = guard.source();
            }
            layout.countRow(st);
        }
        return out;
    }

    @Test
    void aKeysOwnCycleIsForecastByItsLinearModelWhereTheNetworkMissesIt() {
        int steps = 3;
        float[] y = cycle(ROWS + steps, 7);
        float[][] with = guarded(model(steps, 500), y);
        float[][] without = guarded(model(steps, 0), y);
        int from = LinearForecaster.fewestRows(steps) + LinearForecaster.WARM_UP + 2;
        assertTrue(from < ROWS - 100, "rows left to judge");
        for (int k = 1; k <= steps; k++) {
            double linear = 0;
            double last = 0;
            for (int t = from; t < ROWS; t++) {
                linear += Math.abs(with[t][k - 1] - y[t + k]);
                last += Math.abs(without[t][k - 1] - y[t + k]);
            }
            assertTrue(linear < 0.15 * last, "step " + k + ": the linear model's error " + linear
                    + " against the last value's " + last);
        }
        for (int t = 0; t < LinearForecaster.fewestRows(steps); t++) {
            assertArrayEquals(without[t], with[t], "before its first fit the linear model changes nothing");
        }
    }

    @Test
    void aForecastByTheLinearModelSaysSo() {
        int steps = 3;
        float[] y = cycle(ROWS + steps, 7);
        ForecastSource[][] sources = new ForecastSource[y.length][steps];
        guarded(model(steps, 500), y, sources);
        int ready = LinearForecaster.fewestRows(steps) + LinearForecaster.WARM_UP + 1;
        int linear = 0;
        for (int t = 0; t < y.length; t++) {
            for (int k = 1; k <= steps; k++) {
                boolean byLinear = sources[t][k - 1] == ForecastSource.LINEAR
                        || sources[t][k - 1] == ForecastSource.LINEAR_MIX;
                if (t < ready) {
                    assertTrue(!byLinear, "row " + t + ": before it is fitted and judged, never the linear model");
                } else {
                    linear += byLinear ? 1 : 0;
                }
            }
        }
        int judged = (y.length - ready) * steps;
        assertTrue(linear > 0.95 * judged, "the cycle forecast by the linear model or a mix " + linear + " of "
                + judged + " times: the network proposes no change");
    }

    /**
     * A key's row count is exact only below 2^24 (the last float that counts by ones), but its rows go on: the issued
     * forecasts are kept by age, so a key past the cap forecasts as one below it. Its linear part's count is moved to
     * just below the cap at row 2,100 (where nothing else reads the count: refits every 512 rows, the fit on all N
     * rows).
     */
    @Test
    void aKeyPastTheRowCountsCapForecastsAsBelowIt() {
        int steps = 3;
        ForecastModel m = model(steps, 400);
        float[] y = cycle(2400 + steps, 17);
        float[][] runs = new float[2][];
        for (int run = 0; run < 2; run++) {
            KeyLayout layout = new KeyLayout(m, false);
            ForecastGuard guard = new ForecastGuard(m, layout);
            float[] st = new float[layout.size];
            float[] history = new float[LinearPartLayout.historySize(m)];
            float[] out = new float[2400 * steps];
            for (int t = 0; t < 2400; t++) {
                if (run == 1 && t == 2100) {
                    assertEquals(2100, layout.rows(st, StatePart.LINEAR), "the part's count, before its payload");
                    st[layout.linear - 1] = 16_777_216f - 50f;
                }
                guard.learn(st, history, y, t);
                for (int i = 0; i < steps; i++) {
                    out[t * steps + i] = guard.apply(st, i, y[t], y[t]);
                }
                layout.countRow(st);
            }
            assertTrue(run == 0 || layout.rows(st, StatePart.LINEAR) < 16_777_216L - 50, "the count went past 2^24");
            runs[run] = out;
        }
        assertArrayEquals(runs[0], runs[1], "the same forecasts past the cap");
    }

    @Test
    void aYoungKeyRefitsAsItsHistoryGrowsThenEveryRefitRows() {
        assertEquals(74, LinearForecaster.refitEvery(296));
        assertEquals(250, LinearForecaster.refitEvery(1000));
        assertEquals(LinearForecaster.REFIT, LinearForecaster.refitEvery(4 * LinearForecaster.REFIT));
        assertEquals(LinearForecaster.REFIT, LinearForecaster.refitEvery(1_000_000));
        assertEquals(1, LinearForecaster.refitEvery(2));
    }

    @Test
    void theSameRowsGiveTheSameBits() {
        float[] y = cycle(ROWS, 11);
        ForecastModel m = model(2, 400);
        float[][] a = guarded(m, y);
        float[][] b = guarded(m, y);
        for (int t = 0; t < ROWS; t++) {
            assertArrayEquals(a[t], b[t]);
        }
    }

    @Test
    void itIsAPartOfItsOwnThatCountsItsRows() {
        ForecastModel on = model(6, 2000);
        KeyLayout with = new KeyLayout(on, false);
        KeyLayout without = new KeyLayout(model(6, 0), false);
        assertTrue(with.has(StatePart.LINEAR));
        assertFalse(without.has(StatePart.LINEAR));
        // count; per target: cursor, rows since the fit, the penalty and refits since, values not in the history, the
        // history's next slot and length; the tail of W + S + 128 values, coefficients [S][97], each candidate's errors
        // [S][4] and recent ones, the forecasts issued from the last S origins [S][S]; the older values are the key's
        // history, 2000 floats
        int floats = 1 + 7 + (96 + 6 + LinearForecaster.FLUSH) + 6 * 97 + 6 * LinearForecaster.WEIGHTS.length * 2
                + 6 * 6;
        assertEquals(without.size + floats, with.size);
        assertEquals(2000, LinearPartLayout.historySize(on));
        assertEquals(0, LinearPartLayout.historySize(model(6, 0)));
        assertEquals(16, StatePart.LINEAR.id());
        assertTrue(StatePart.LINEAR.countsRows());
    }

    /** Steps rows [from, to) of {@code y} for key "k" with {@code m}; returns the stepper's fresh-part counts. */
    static FreshParts step(ForecastModel m, KeyStateStore store, float[] y, int from, int to) {
        FreshParts[] fresh = new FreshParts[1];
        KeyHistoriesTest.forecasts(m, store, y, from, to, fresh);
        return fresh[0];
    }

    @Test
    void aKeyThatGainsItStartsItFreshCountedAndKeepsEveryOtherPart() {
        ForecastModel without = ForecastModel.builder(model(6, 0).network()).features(List.of("y"))
                .targets(List.of("y")).scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5)
                .build();
        ForecastModel with = ForecastModel.builder(without.network()).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5).guardLinear(300)
                .build();
        float[] y = cycle(410, 3);
        KeyStateStore.InMemory store = KeyStateStore.inMemory();
        assertEquals(0, step(without, store, y, 0, 400).count(StatePart.LINEAR));
        FreshParts fresh = step(with, store, y, 400, 410);
        assertEquals(1, fresh.count(StatePart.LINEAR), "the new part starts fresh, counted once for the key");
        assertEquals(0, fresh.count(StatePart.GUARD));
        assertEquals(0, fresh.count(StatePart.SCALING));
        KeyLayout l = new KeyLayout(with, false);
        float[] st = store.read("k").features();
        assertEquals(410, l.rows(st, StatePart.GUARD), "the guard's history goes on");
        assertEquals(410, l.rows(st, StatePart.SCALING));
        assertEquals(10, l.rows(st, StatePart.LINEAR), "the linear model's own rows start at the switch");
    }

    @Test
    void itsRowsAreCheckedAgainstTheSteps() {
        ForecastModel.Builder b = ForecastModel.builder(
                RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 6, 5))
                .features(List.of("y")).targets(List.of("y")).relativeToLast(true);
        String off = assertThrows(ModelValidationException.class, () -> b.guardLinear(2000).build()).getMessage();
        assertTrue(off.contains("needs the guard on"), off);
        String few = assertThrows(ModelValidationException.class, () -> b.guard(true).guardLinear(100).build())
                .getMessage();
        assertTrue(few.contains("needs at least " + LinearForecaster.fewestRows(6)), few);
        assertEquals(2000, b.guard(true).guardLinear(2000).build().guardLinear());
    }

}
