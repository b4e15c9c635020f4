package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A key's history (the linear model's older values, kept apart from its state by the operator's and the SQL
 * function's stores): loaded only when asked with the same bits, a part whose history is gone started fresh and
 * counted at the same row however the rows are batched, never read as zeros, and a history nothing reads deleted.
 */
class KeyHistoriesTest {
    /** Each row's forecasts of one key stepped through rows [from, to) of {@code y}, one row per batch. */
    static float[][] forecasts(ForecastModel m, KeyStateStore store, float[] y, int from, int to, FreshParts[] fresh) {
        return forecastsInBatches(m, store, y, from, to, 1, fresh);
    }

    static ForecastModel scaled(int steps, int linear) {
        return ForecastModel.builder(LinearForecasterTest.model(steps, linear).network()).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5).guardLinear(linear)
                .build();
    }

    @Test
    void aHistoryKeptApartAndLoadedOnlyWhenAskedGivesTheSameBits() {
        ForecastModel m = scaled(3, 2000);
        float[] y = LinearForecasterTest.cycle(3000, 5);
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
        float[] y = LinearForecasterTest.cycle(1200, 9);
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
        float[] y = LinearForecasterTest.cycle(1300, 11);
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
        float[] y = LinearForecasterTest.cycle(700, 3);
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
        forecasts(with, apart, LinearForecasterTest.cycle(600, 8), 0, 600, null);
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
        float[] y = LinearForecasterTest.cycle(400, 6);
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
        float[] y = LinearForecasterTest.cycle(1300, 4);
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
