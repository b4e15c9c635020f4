package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a key keeps when it meets another layout: a restore with other settings (intervals, head adaptation,
 * anomaly scoring each on or off), directly or from a savepoint of state format 3 or 4 (no parts written).
 */
class KeyLayoutTest {
    /** What `train` makes by default: per-key scaling, relative to the last value, the guard with its options. */
    static final ForecastModel MODEL = ForecastModel.builder(
            RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 5, 1, 6, 7))
            .features(List.of("y")).targets(List.of("y")).scaling(Scaling.PER_KEY, 500).relativeToLast(true)
            .guard(true).guardRecent(5).guardLevel(12).guardEvidence(1f).build();
    static final int ROWS = 60;
    static final int SWITCH = 40;

    record Setting(boolean intervals, boolean adapting, boolean scoring) {
        StepperSettings settings() {
            return StepperSettings.defaults().withIntervals(intervals ? 0.9 : 0)
                    .withAdaptation(adapting ? Adaptation.HEAD : Adaptation.OFF).withAnomalyScoring(scoring);
        }

        KeyLayout layout() {
            return new KeyLayout(MODEL, scoring, intervals, adapting);
        }

        @Override
        public String toString() {
            return "intervals " + (intervals ? "on" : "off") + ", adaptation " + (adapting ? "on" : "off")
                    + ", scoring " + (scoring ? "on" : "off");
        }
    }

    static List<Setting> settings() {
        List<Setting> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(new Setting((i & 1) != 0, (i & 2) != 0, (i & 4) != 0));
        }
        return all;
    }

    static Stream<Arguments> pairs() {
        return settings().stream().flatMap(a -> settings().stream().map(b -> Arguments.of(a, b)));
    }

    static float[] series() {
        float[] v = new float[ROWS];
        for (int t = 0; t < ROWS; t++) {
            v[t] = 100f + 10f * (float) Math.sin(t / 3.0) + (t % 7) * 0.5f;
        }
        return v;
    }

    /** Steps rows [from, to) of the series with {@code setting}, on the key's state in {@code store}. */
    static float[][] step(Setting setting, KeyStateStore store, int from, int to, FreshParts[] fresh) {
        float[] v = series();
        float[][] out = new float[to - from][];
        try (KeyStepper s = new KeyStepper(MODEL, setting.settings(), new CpuStepBackend(MODEL.network(), 1, "t"), 1)) {
            StepBatch b = s.batch();
            for (int r = from; r < to; r++) {
                b.clear();
                b.add("k", r * 3_600_000L, v, r);
                s.step(b, store);
                out[r - from] = new float[MODEL.outputs()];
                for (int i = 0; i < MODEL.outputs(); i++) {
                    out[r - from][i] = b.forecast(0, i);
                }
            }
            fresh[0] = s.freshParts();
        }
        return out;
    }

    static List<StatePart> parts(KeyLayout l) {
        List<StatePart> out = new ArrayList<>();
        for (int i = 0; i < l.parts.count(); i++) {
            out.add(l.parts.part(i));
        }
        return out;
    }

    /** Part {@code p}'s floats in a vector of {@code parts}. */
    static float[] slice(float[] features, StateParts parts, StatePart p) {
        int at = 0;
        for (int i = 0; i < parts.count(); i++) {
            if (parts.part(i) == p) {
                return Arrays.copyOfRange(features, at, at + parts.size(i));
            }
            at += parts.size(i);
        }
        throw new AssertionError("no part " + p + " in " + parts);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void aRestoreWithOtherSettingsKeepsEveryPartBothHaveAndStartsOnlyTheNewOnesFresh(Setting a, Setting b) {
        checkSwitch(a, b, false);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void aFormat3SavepointRestoredWithOtherSettingsKeepsTheSameParts(Setting a, Setting b) {
        checkSwitch(a, b, true);
    }

    private static void checkSwitch(Setting a, Setting b, boolean legacy) {
        FreshParts[] fresh = new FreshParts[1];
        KeyStateStore.InMemory store = KeyStateStore.inMemory();
        step(a, store, 0, SWITCH, fresh);
        KeyState before = store.read("k").copy();
        KeyLayout from = a.layout();
        KeyLayout to = b.layout();
        assertEquals(from.parts, before.parts());
        if (legacy) {
            store.write("k", LegacyVectors.of(before, from, null));
        }
        KeyState moved = store.read("k").copy();
        List<StatePart> started = new ArrayList<>();
        to.fit(moved, started);
        List<StatePart> expected = new ArrayList<>(parts(to));
        expected.removeAll(parts(from));
        assertEquals(expected, started, "only the parts new to " + b + " start fresh");
        assertEquals(to.parts, moved.parts());
        for (StatePart p : parts(to)) {
            float[] now = slice(moved.features(), to.parts, p);
            if (parts(from).contains(p)) {
                assertArrayEquals(slice(before.features(), from.parts, p), now, p + " carried bit for bit");
            } else {
                assertArrayEquals(new float[now.length], now, p + " starts at zero");
            }
        }
        float[][] switched = step(b, store, SWITCH, ROWS, fresh);
        for (StatePart p : StatePart.values()) {
            assertEquals(expected.contains(p) ? 1 : 0, fresh[0].count(p), p + " counted once for the key");
        }
        if (a.adapting() == b.adapting()) {
            KeyStateStore.InMemory straight = KeyStateStore.inMemory();
            float[][] want = step(a, straight, 0, ROWS, fresh);
            for (int r = SWITCH; r < ROWS; r++) {
                for (int i = 0; i < MODEL.outputs(); i++) {
                    assertEquals(Float.floatToIntBits(want[r][i]), Float.floatToIntBits(switched[r - SWITCH][i]),
                            "row " + r + " output " + i + ": intervals and scoring never change a forecast");
                }
            }
        }
    }

    @Test
    void noTwoSettingsGiveLegacyVectorsOfOneLengthForThisModel() {
        Set<Integer> lengths = new HashSet<>();
        for (Setting s : settings()) {
            KeyLayout l = s.layout();
            int legacy = 1;
            for (int i = 0; i < l.parts.count(); i++) {
                legacy += l.parts.size(i) - (l.parts.part(i).countsRows() ? 1 : 0);
            }
            assertTrue(lengths.add(legacy), "the legacy test above needs distinct lengths: " + s);
        }
    }

    @Test
    void aRestartThatSwitchesIntervalsOnKeepsTheScalingStatisticsAndTheGuardsHistory() {
        // Seen before parts: 50 rows without intervals, one more with them, and the key had 1 row, mean = the new
        // value, variance 0, and the forecast fell back to the last value.
        Setting off = new Setting(false, false, false);
        Setting on = new Setting(true, false, false);
        FreshParts[] fresh = new FreshParts[1];
        KeyStateStore.InMemory store = KeyStateStore.inMemory();
        step(off, store, 0, 50, fresh);
        KeyState s50 = store.read("k").copy();
        float[] onward = step(on, store, 50, 51, fresh)[0];
        KeyState s51 = store.read("k");
        KeyLayout l = on.layout();
        assertEquals(51, l.rows(s51.features(), StatePart.SCALING), "the scaling statistics' rows go on");
        assertEquals(1, l.rows(s51.features(), StatePart.INTERVALS), "the intervals' own rows start at this one");
        assertNotEquals(0f, s51.features()[l.scaling + 1], "the variance is the key's, not a new key's zero");
        assertEquals(1, fresh[0].count(StatePart.INTERVALS));
        assertEquals(0, fresh[0].count(StatePart.SCALING));
        assertEquals(0, fresh[0].count(StatePart.GUARD));
        store.write("k", s50);
        float[] without = step(off, store, 50, 51, fresh)[0];
        assertArrayEquals(without, onward, "the forecast is the one the key would have given without intervals");
    }

    @Test
    void aVectorOfAnotherMeaningStartsEveryPartFresh() {
        ForecastModel renamed = ForecastModel.builder(MODEL.network()).features(List.of("z")).targets(List.of("z"))
                .scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5).guardLevel(12)
                .guardEvidence(1f).build();
        KeyLayout l = new KeyLayout(MODEL, false);
        KeyLayout other = new KeyLayout(renamed, false);
        assertNotEquals(l.parts.meaning(), other.parts.meaning());
        float[] f = new float[l.size];
        Arrays.fill(f, 3f);
        KeyState s = new KeyState(new float[MODEL.network().stateSize()], 9, 1L, f, l.parts, KeyState.STARTING_MODEL);
        List<StatePart> started = new ArrayList<>();
        other.fit(s, started);
        assertEquals(parts(other), started);
        assertArrayEquals(new float[other.size], s.features());
    }

    /**
     * A row count is exact below 2^24 only; past it the count wraps by a multiple of every ring it indexes, so a key
     * there forecasts as one below it. Every row count of a key with every forecasting part (the guard's options, the
     * linear model, intervals, adaptation) is moved to 60 rows below 2^24 at row 4,000, by a multiple of those rings'
     * lengths; the 600 rows after it, 540 of them past the cap, give the unmoved run's bits, and every count has
     * wrapped. With anomaly scoring too, its counts (the likelihood's, the context's, the weekly profile's, the surprise
     * test's) wrap as well; its running moments weigh rows by 1/n, so moving its counts changes its scores by design.
     */
    @Test
    void aKeyPastTheRowCountsCapForecastsAsOneBelowIt() {
        ForecastModel m = ForecastModel.builder(MODEL.network()).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5).guardLevel(12)
                .guardEvidence(1f).guardLinear(400).build();
        int rows = 4600;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(21);
        float[] y = new float[rows];
        for (int t = 0; t < rows; t++) {
            y[t] = 20f + 5f * (float) Math.sin(2 * Math.PI * t / 24) + (float) rnd.nextGaussian()
                    + (rnd.nextInt(200) == 0 ? 15f : 0f);
        }
        assertEquals(8_388_480f, KeyLayout.wrapFor(6), "the largest multiple of lcm(6 steps, 10, 48, 5) up to 2^23");
        int width = m.outputs() * 2 + 3;
        float[] unmoved = pastTheCap(m, false, y, false, width);
        float[] moved = pastTheCap(m, false, y, true, width);
        for (int i = 0; i < unmoved.length; i++) {
            assertEquals(Float.floatToIntBits(unmoved[i]), Float.floatToIntBits(moved[i]),
                    "row " + i / width + ", value " + i % width);
        }
        float[] scored = pastTheCap(m, true, y, true, width);
        for (int r = 4000; r < rows; r++) {
            assertTrue(Float.isFinite(scored[r * width + m.outputs() * 2]), "row " + r + ": a score");
        }
    }

    /**
     * Steps {@code y} as one key with intervals and adaptation (and scoring if asked); with {@code move}, every row
     * count, its parts' and the guard's level's, the context's, the weekly profile's and the surprise test's own, is
     * moved at row 4,000 to 60 rows below 2^24 by a multiple of 240, and each is checked to have wrapped by the last
     * row. Returns per row the forecasts and half-widths, the score, the surprise and the flag.
     */
    private static float[] pastTheCap(ForecastModel m, boolean scoring, float[] y, boolean move, int width) {
        int rows = y.length;
        int bumpAt = 4000;
        float bump = (float) ((16_777_216L - 60 - bumpAt) / 240 * 240);
        KeyLayout layout = new KeyLayout(m, scoring, true, true);
        List<Integer> counts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (StatePart p : StatePart.values()) {
            if (p.countsRows() && layout.has(p)) {
                counts.add(layout.startOf(p));
                names.add(p.label());
            }
        }
        int[] own = {layout.guardLevel, layout.context, layout.weekly, layout.surprise};
        StatePart[] owners = {StatePart.GUARD_LEVEL, StatePart.CONTEXT, StatePart.WEEKLY, StatePart.SURPRISE};
        for (int i = 0; i < own.length; i++) {
            if (layout.has(owners[i])) {
                counts.add(own[i]);
                names.add(owners[i].label() + "'s own");
            }
        }
        assertEquals(scoring ? 3 : 1, counts.size() - (int) java.util.Arrays.stream(StatePart.values())
                .filter(p -> p.countsRows() && layout.has(p)).count(), "the level's own count, and scoring's");
        float[] out = new float[rows * width];
        OneKey.run(m, new Setting(true, true, scoring).settings(), y, rows, 3_600_000L, (r, st) -> {
            if (move && r == bumpAt) {
                for (int at : counts) {
                    st.features()[at] += bump;
                }
            }
            if (move && r == rows - 1) {
                for (int i = 0; i < counts.size(); i++) {
                    float c = st.features()[counts.get(i)];
                    assertTrue(c >= 8_388_608f && c < 16_777_216f - 60, names.get(i) + " count wrapped: " + c);
                }
            }
            return st;
        }, (r, stepper, b) -> {
            int at = r * width;
            for (int i = 0; i < m.outputs(); i++) {
                out[at++] = b.forecast(0, i);
                out[at++] = b.halfWidth(0, i);
            }
            out[at++] = b.score(0);
            out[at++] = b.surprise(0);
            out[at] = b.flagged(0) ? 1f : 0f;
        });
        return out;
    }

    /**
     * Past 2^24 a row count drops by a multiple of every ring's length, so each ring's position carries on (and the
     * count stays past 2^23, beyond every warm-up); a model whose rings' common multiple is past 2^22 keeps the old
     * rule, a count that stops at 2^24.
     */
    @Test
    void aRowCountWrapsKeepingEveryRingsPosition() {
        KeyLayout layout = new KeyLayout(MODEL, true, true, true);
        float[] st = new float[1];
        long truth = 16_777_216L - 5;
        st[0] = truth;
        for (int i = 0; i < 1000; i++) {
            layout.countRing(st, 0);
            truth++;
            for (int ring : new int[] {6, 10, 48, 5}) {
                assertEquals(truth % ring, (long) st[0] % ring, "ring " + ring + " after " + truth + " rows");
            }
            assertTrue(st[0] >= 8_388_608f && st[0] < 16_777_216f, "past every warm-up, exact: " + st[0]);
        }
        assertEquals(0f, KeyLayout.wrapFor(20_011), "lcm(20011, 240) is past 2^22");
        KeyLayout odd = new KeyLayout(ForecastModel.builder(RandomModels.model(CellType.LSTM,
                GruResetMode.AFTER_PRODUCT, 1, 2, 1, 20_011, 7)).features(List.of("y")).build(), false);
        st[0] = 16_777_215f;
        odd.countRing(st, 0);
        odd.countRing(st, 0);
        assertEquals(16_777_216f, st[0], "it stops at 2^24");
    }
}
