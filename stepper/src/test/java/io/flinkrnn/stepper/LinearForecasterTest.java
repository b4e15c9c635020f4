package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
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
        float[] history = new float[LinearForecaster.historySize(m)];
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
            float[] history = new float[LinearForecaster.historySize(m)];
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
        assertEquals(2000, LinearForecaster.historySize(on));
        assertEquals(0, LinearForecaster.historySize(model(6, 0)));
        assertEquals(16, StatePart.LINEAR.id());
        assertTrue(StatePart.LINEAR.countsRows());
    }

    /** Steps rows [from, to) of {@code y} for key "k" with {@code m}; returns the stepper's fresh-part counts. */
    static FreshParts step(ForecastModel m, KeyStateStore store, float[] y, int from, int to) {
        FreshParts[] fresh = new FreshParts[1];
        forecasts(m, store, y, from, to, fresh);
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

    /** Each row's forecasts of one key stepped through rows [from, to) of {@code y}, one row per batch. */
    static float[][] forecasts(ForecastModel m, KeyStateStore store, float[] y, int from, int to, FreshParts[] fresh) {
        return forecastsInBatches(m, store, y, from, to, 1, fresh);
    }

    static ForecastModel scaled(int steps, int linear) {
        return ForecastModel.builder(model(steps, linear).network()).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5).guardLinear(linear)
                .build();
    }

    @Test
    void aHistoryKeptApartAndLoadedOnlyWhenAskedGivesTheSameBits() {
        ForecastModel m = scaled(3, 2000);
        float[] y = cycle(3000, 5);
        float[][] inside = forecasts(m, KeyStateStore.inMemory(), y, 0, 3000, null);
        HistoryApartStore apart = new HistoryApartStore();
        float[][] kept = forecasts(m, apart, y, 0, 3000, null);
        for (int t = 0; t < 3000; t++) {
            assertArrayEquals(inside[t], kept[t], "row " + t);
        }
        // one write per 128 rows; reads for those and for each refit (every quarter of a young key's rows, then 512)
        assertEquals(3000 / LinearForecaster.FLUSH, apart.historyWrites);
        assertTrue(apart.historyReads < 3000 / 50, apart.historyReads + " reads of the history for 3000 rows");
        assertEquals(2000, apart.histories.get("k").length);
        assertTrue(apart.states.get("k").features().length < 1000, "the state holds no history");
    }

    @Test
    void aKeyWhoseHistoryIsGoneStartsItsLinearPartFreshCountedNeverReadingZeros() {
        ForecastModel m = scaled(2, 400);
        float[] y = cycle(1200, 9);
        HistoryApartStore apart = new HistoryApartStore();
        FreshParts[] fresh = new FreshParts[1];
        forecasts(m, apart, y, 0, 1000, fresh);
        assertEquals(0, fresh[0].count(StatePart.LINEAR));
        apart.histories.clear(); // expired apart from the state
        forecasts(m, apart, y, 1000, 1200, fresh);
        assertEquals(1, fresh[0].count(StatePart.LINEAR));
        KeyLayout l = new KeyLayout(m, false);
        float[] st = apart.states.get("k").features();
        assertEquals(1200, l.rows(st, StatePart.GUARD), "every other part goes on");
        assertTrue(l.rows(st, StatePart.LINEAR) < 200, "the linear part counts from where it restarted");
    }

    /**
     * Steps a key's rows {@code from} to {@code to} in batches of up to {@code batch} of its rows; their forecasts, and
     * the stepper's fresh-part counts into {@code fresh[0]} when given.
     */
    static float[][] forecastsInBatches(ForecastModel m, KeyStateStore store, float[] y, int from, int to, int batch,
            FreshParts[] fresh) {
        float[][] out = new float[to - from][];
        try (KeyStepper s = new KeyStepper(m, StepperSettings.defaults(), new CpuStepBackend(m.network(), 1, "t"),
                batch)) {
            StepBatch b = s.batch();
            for (int r = from; r < to; r += batch) {
                b.clear();
                int n = Math.min(batch, to - r);
                for (int i = 0; i < n; i++) {
                    b.add("k", (r + i) * 3_600_000L, y, r + i);
                }
                s.step(b, store);
                for (int i = 0; i < n; i++) {
                    out[r + i - from] = new float[m.outputs()];
                    for (int o = 0; o < m.outputs(); o++) {
                        out[r + i - from][o] = b.forecast(i, o);
                    }
                }
            }
            if (fresh != null) {
                fresh[0] = s.freshParts();
            }
        }
        return out;
    }

    /**
     * A history gone apart from the state restarts the linear part at the row that first needs it (a move into the
     * history or a refit), whether the key's rows come one per call (SQL) or many per bundle (the operator).
     */
    @Test
    void aKeyWhoseHistoryIsGoneRestartsAtTheSameRowHoweverItsRowsAreBatched() {
        ForecastModel m = scaled(2, 400);
        float[] y = cycle(1300, 11);
        float[][][] runs = new float[2][][];
        long[] linearRows = new long[2];
        for (int run = 0; run < 2; run++) {
            HistoryApartStore apart = new HistoryApartStore();
            forecasts(m, apart, y, 0, 1000, null);
            apart.histories.clear();
            FreshParts[] fresh = new FreshParts[1];
            runs[run] = forecastsInBatches(m, apart, y, 1000, 1300, run == 0 ? 1 : 60, fresh);
            assertEquals(1, fresh[0].count(StatePart.LINEAR), "restarted once, counted");
            linearRows[run] = new KeyLayout(m, false).rows(apart.states.get("k").features(), StatePart.LINEAR);
        }
        for (int t = 0; t < 300; t++) {
            assertArrayEquals(runs[0][t], runs[1][t], "row " + (1000 + t));
        }
        assertEquals(linearRows[0], linearRows[1]);
        assertTrue(linearRows[0] < 300, "restarted within these rows, at " + (1300 - linearRows[0]));
        // 1000 rows leave 1000 % 128 = 104 values not yet in the history: the first row to need it is the 24th.
        assertEquals(300 - 23, linearRows[0], "restarted at the row that moves values into the history");
    }

    /**
     * A key taken over by a model without the linear model: its state is written without the part, and its store
     * deletes the history that nothing reads any more; whether the new model keeps the network's state (an update) or
     * the key's state simply meets the other layout (a restore with other settings).
     */
    @Test
    void aModelWithoutTheLinearModelHasTheKeysHistoryDeleted() {
        ForecastModel with = scaled(2, 400);
        ForecastModel without = ForecastModel.builder(with.network()).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5).build();
        float[] y = cycle(700, 3);
        for (boolean adopt : new boolean[] {false, true}) {
            HistoryApartStore apart = new HistoryApartStore();
            forecasts(with, apart, y, 0, 600, null);
            assertEquals(400, apart.histories.get("k").length);
            try (KeyStepper a = new KeyStepper(with, StepperSettings.defaults(), new CpuStepBackend(with.network(), 1,
                    "t"), 1);
                    KeyStepper b = new KeyStepper(without, StepperSettings.defaults(),
                            new CpuStepBackend(without.network(), 1, "t"), 1)) {
                if (adopt) {
                    apart.write("k", b.adopt(apart.read("k"), a, true, 2));
                } else {
                    assertTrue(apart.histories.containsKey("k"), "still there before the other model steps");
                }
                StepBatch batch = b.batch();
                for (int r = 600; r < 700; r++) {
                    batch.clear();
                    batch.add("k", r * 3_600_000L, y, r);
                    b.step(batch, apart);
                }
            }
            assertFalse(apart.histories.containsKey("k"), "the history is deleted (adopted: " + adopt + ")");
            assertEquals(-1, apart.states.get("k").parts().versionOf(StatePart.LINEAR.id()));
            assertEquals(700, new KeyLayout(without, false).rows(apart.states.get("k").features(), StatePart.GUARD));
        }
    }

    /**
     * A key reset by an update to another model with the linear model keeps its history in its store while its state
     * shows no parts; an update to a model without the linear model must still delete it.
     */
    @Test
    void anUpdateWithoutTheLinearModelDeletesAHistoryThatAResetStateNoLongerShows() {
        ForecastModel with = scaled(2, 400);
        ForecastModel without = ForecastModel.builder(with.network()).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5).build();
        HistoryApartStore apart = new HistoryApartStore();
        forecasts(with, apart, cycle(600, 8), 0, 600, null);
        try (KeyStepper a = new KeyStepper(with, StepperSettings.defaults(), new CpuStepBackend(with.network(), 1,
                "t"), 1);
                KeyStepper b = new KeyStepper(with, StepperSettings.defaults(), new CpuStepBackend(with.network(), 1,
                        "t"), 1);
                KeyStepper c = new KeyStepper(without, StepperSettings.defaults(),
                        new CpuStepBackend(without.network(), 1, "t"), 1)) {
            apart.write("k", b.adopt(apart.read("k"), a, false, 2));
            assertEquals(-1, apart.states.get("k").parts().versionOf(StatePart.LINEAR.id()), "reset: no linear part");
            assertTrue(apart.histories.containsKey("k"), "the history stays for a model with the linear model");
            apart.write("k", c.adopt(apart.read("k"), b, false, 3));
            assertFalse(apart.histories.containsKey("k"), "and goes with one without it");
        }
    }

    /**
     * A store that hands back the same object (the heap, a replay's map): a history missing before a batch whose only
     * row is turned away stays missing for the next batch, whose row restarts the part rather than read the zeros.
     */
    @Test
    void aMissingHistoryIsRememberedAcrossABatchThatStepsNothing() {
        ForecastModel m = scaled(2, 400);
        float[] y = cycle(400, 6);
        KeyStateStore.InMemory store = KeyStateStore.inMemory();
        try (KeyStepper s = new KeyStepper(m, StepperSettings.defaults(), new CpuStepBackend(m.network(), 1, "t"), 1)) {
            StepBatch b = s.batch();
            for (int r = 0; r < 2 * LinearForecaster.FLUSH - 1; r++) {
                b.clear();
                b.add("k", r * 3_600_000L, y, r);
                s.step(b, store);
            }
            KeyLayout l = new KeyLayout(m, false);
            assertTrue(l.rows(store.read("k").features(), StatePart.LINEAR) >= LinearForecaster.FLUSH);
            store.read("k").history(null); // lost; the next row would move values into it
            b.clear();
            b.add("k", (2 * LinearForecaster.FLUSH - 3) * 3_600_000L, y, 0); // before the last row: turned away
            s.step(b, store);
            assertTrue(b.rejected(0));
            assertEquals(0, s.freshParts().count(StatePart.LINEAR));
            b.clear();
            b.add("k", (2 * LinearForecaster.FLUSH - 1) * 3_600_000L, y, 2 * LinearForecaster.FLUSH - 1);
            s.step(b, store);
            assertEquals(1, s.freshParts().count(StatePart.LINEAR), "restarted, not read as zeros");
            assertEquals(1, l.rows(store.read("k").features(), StatePart.LINEAR));
        }
    }

    @Test
    void aModelWithAnotherHistoryLengthStartsTheLinearPartFreshCounted() {
        float[] y = cycle(1300, 4);
        KeyStateStore.InMemory store = KeyStateStore.inMemory();
        FreshParts[] fresh = new FreshParts[1];
        forecasts(scaled(2, 400), store, y, 0, 1000, fresh);
        ForecastModel longer = ForecastModel.builder(scaled(2, 400).network()).features(List.of("y"))
                .targets(List.of("y")).scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5)
                .guardLinear(700).build();
        forecasts(longer, store, y, 1000, 1300, fresh);
        assertEquals(1, fresh[0].count(StatePart.LINEAR), "the same part's size, another history: restarted");
        KeyLayout l = new KeyLayout(longer, false);
        assertEquals(300, l.rows(store.read("k").features(), StatePart.LINEAR));
        assertEquals(700, store.read("k").history().length);
    }
}
