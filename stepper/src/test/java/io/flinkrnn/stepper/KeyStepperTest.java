package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.DeadLetterReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stepper gives every key the same bits whatever the bundle size, and applies the state rules. */
class KeyStepperTest {
    static final int KEYS = 6;
    static final int ROWS = 90;

    /** Two features (a, b), target b, three steps; every per-key rule on. */
    static ForecastModel richModel() {
        RnnModel net = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT,
                ForecastModel.networkInputs(2, true, TimeFeatures.DAY_WEEK), 12, 2, 3, 8);
        return ForecastModel.builder(net).features(List.of("a", "b")).targets(List.of("b"))
                .scaling(Scaling.PER_KEY, 40).relativeToLast(true).inputDifferences(true)
                .timeFeatures(TimeFeatures.DAY_WEEK).guard(true).build();
    }

    record Row(String key, long time, float[] values) {
    }

    /** Keys of very different levels, interleaved at random but in time order per key. */
    static List<Row> stream(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] next = new int[KEYS];
        List<Row> out = new ArrayList<>();
        while (out.size() < KEYS * ROWS) {
            int k = rnd.nextInt(KEYS);
            if (next[k] == ROWS) {
                continue;
            }
            int t = next[k]++;
            float level = (float) Math.pow(10, k - 1);
            float b = level * (1f + 0.3f * (float) Math.sin(t * 0.3 + k)) + (float) rnd.nextGaussian() * level * 0.05f;
            out.add(new Row("key-" + k, 1_700_000_000_000L + t * 3_600_000L, new float[] {t * 0.1f, b}));
        }
        return out;
    }

    /** Steps {@code rows} in bundles of {@code bundle}; returns forecasts and scores per row, and final states. */
    static Map<String, KeyState> run(ForecastModel m, List<Row> rows, int bundle, List<float[]> forecasts,
            List<Float> scores) {
        KeyStateStore.InMemory store = KeyStateStore.inMemory();
        Map<String, KeyState> states = store.states();
        try (KeyStepper stepper = new KeyStepper(m, StepperSettings.defaults().withAnomalyScoring(true),
                new CpuStepBackend(m.network(), 1, "test"), bundle)) {
            StepBatch b = stepper.batch();
            for (int from = 0; from < rows.size(); from += bundle) {
                b.clear();
                int to = Math.min(rows.size(), from + bundle);
                for (Row r : rows.subList(from, to)) {
                    b.add(r.key(), r.time(), r.values(), 0);
                }
                stepper.step(b, store);
                for (int r = 0; r < to - from; r++) {
                    float[] f = new float[m.outputs()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = b.forecast(r, i);
                    }
                    forecasts.add(f);
                    scores.add(b.score(r));
                }
            }
        }
        return states;
    }

    @Test
    void aKeysBitsDoNotDependOnTheBundleItWasSteppedIn() {
        ForecastModel m = richModel();
        List<Row> rows = stream(3);
        List<float[]> alone = new ArrayList<>();
        List<Float> aloneScores = new ArrayList<>();
        Map<String, KeyState> aloneStates = run(m, rows, 1, alone, aloneScores);
        for (int bundle : new int[] {5, 64, 1024}) {
            List<float[]> got = new ArrayList<>();
            List<Float> scores = new ArrayList<>();
            Map<String, KeyState> states = run(m, rows, bundle, got, scores);
            for (int r = 0; r < rows.size(); r++) {
                assertArrayEquals(alone.get(r), got.get(r), "bundle " + bundle + " row " + r);
                assertEquals(Float.floatToIntBits(aloneScores.get(r)), Float.floatToIntBits(scores.get(r)),
                        "score, bundle " + bundle + " row " + r);
            }
            assertEquals(aloneStates, states, "states, bundle " + bundle);
        }
        KeyState s = aloneStates.get("key-0");
        assertEquals(ROWS, s.steps());
        assertTrue(s.features().length > 0 && Float.isFinite(s.features()[0]));
        for (float[] f : alone) {
            for (float v : f) {
                assertTrue(Float.isFinite(v), "finite forecasts");
            }
        }
        assertFalse(Float.isNaN(aloneScores.get(rows.size() - 1)), "scores once warmed up");
    }

    @Test
    void perKeyScalingPutsKeysOfAnyLevelOnOneScale() {
        // The same shape at levels 0.1 and 10000: relative forecasts differ by the level factor (up to rounding).
        ForecastModel m = richModel();
        List<Row> low = new ArrayList<>();
        List<Row> high = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            float shape = 1f + 0.3f * (float) Math.sin(t * 0.4);
            long time = 1_700_000_000_000L + t * 3_600_000L;
            low.add(new Row("low", time, new float[] {t * 0.1f, 0.1f * shape}));
            high.add(new Row("high", time, new float[] {t * 0.1f, 10000f * shape}));
        }
        List<float[]> fl = new ArrayList<>();
        List<float[]> fh = new ArrayList<>();
        run(m, low, 4, fl, new ArrayList<>());
        run(m, high, 4, fh, new ArrayList<>());
        for (int r = 0; r < 60; r++) {
            for (int i = 0; i < m.outputs(); i++) {
                assertEquals(fl.get(r)[i] * 100000f, fh.get(r)[i], 1e-2f * 10000f, "row " + r + " output " + i);
            }
        }
    }

    @Test
    void theBatchCountsItsForecastsBySourceAndARejectedRowHasNone() {
        ForecastModel unguarded = ForecastModel.builder(richModel().network()).features(List.of("a", "b"))
                .targets(List.of("b")).scaling(Scaling.PER_KEY, 40).relativeToLast(true).inputDifferences(true)
                .timeFeatures(TimeFeatures.DAY_WEEK).build();
        for (ForecastModel m : List.of(unguarded, richModel())) {
            try (KeyStepper stepper = new KeyStepper(m, StepperSettings.defaults(),
                    new CpuStepBackend(m.network(), 1, "test"), 4)) {
                StepBatch b = stepBackwards(stepper, KeyStateStore.inMemory());
                assertTrue(b.rejected(1));
                long total = 0;
                for (ForecastSource s : ForecastSource.values()) {
                    total += b.sourceCount(s);
                }
                assertEquals(2L * m.outputs(), total, "one source per output of each stepped row");
                if (!m.guard()) {
                    assertEquals(2L * m.outputs(), b.sourceCount(ForecastSource.NETWORK), "no guard: the network's");
                    assertEquals(ForecastSource.NETWORK, b.source(2, m.outputs() - 1));
                }
                b.clear();
                assertEquals(0L, b.sourceCount(ForecastSource.NETWORK) + b.sourceCount(ForecastSource.BLEND)
                        + b.sourceCount(ForecastSource.LAST_VALUE), "a cleared batch counts nothing");
            }
        }
    }

    @Test
    void timeGoingBackwardsIsRejectedAndLeavesTheKeyUntouched() {
        ForecastModel m = richModel();
        try (KeyStepper stepper = new KeyStepper(m, StepperSettings.defaults(),
                new CpuStepBackend(m.network(), 1, "test"), 4)) {
            KeyStateStore.InMemory store = KeyStateStore.inMemory();
            StepBatch b = stepBackwards(stepper, store);
            assertFalse(b.rejected(0));
            assertTrue(b.rejected(1));
            assertEquals(DeadLetterReason.TIME_WENT_BACKWARDS, b.rejection(1));
            assertFalse(b.rejected(2));
            assertEquals(2, store.read("k").steps());
            assertEquals(3000L, store.read("k").lastEventTime());
            assertEquals(2, b.steppedRows());
        }
    }

    /** Steps key "k" at 2000, then 1000 (back in time), then 3000 ms in one batch; returns the batch. */
    private static StepBatch stepBackwards(KeyStepper stepper, KeyStateStore store) {
        StepBatch b = stepper.batch();
        b.clear();
        b.add("k", 2000L, new float[] {1f, 2f}, 0);
        b.add("k", 1000L, new float[] {1f, 3f}, 0);
        b.add("k", 3000L, new float[] {1f, 4f}, 0);
        stepper.step(b, store);
        return b;
    }
}
