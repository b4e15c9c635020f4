package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The daily profile finds a day that keeps an ordinary level at the wrong hours, which one-step errors do not
 * show; its slots follow the event time; a key from before the context part keeps everything else.
 */
class DailyProfileTest {
    private static final long FIVE_MINUTES = 300_000L;
    private static final int DAY = 288;
    private static final StepperSettings ON = StepperSettings.defaults().withAnomalyScoring(true);

    /** The last value as the forecast (a zero head, relative to the last value), with an hour-of-day input. */
    static ForecastModel lastValueDaily() {
        int inputs = 1 + TimeFeatures.DAY.count();
        RnnModel r = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, inputs, 4, 1, 1, 7);
        RnnModel zero = RnnModel.builder().cell(r.cell()).inputSize(inputs).hiddenSize(4).horizon(1)
                .addLayer(r.layer(0).weightIhCopy(), r.layer(0).weightHhCopy(), r.layer(0).biasIhCopy(),
                        r.layer(0).biasHhCopy()).head(new float[4], new float[1]).build();
        return ForecastModel.builder(zero).features(List.of("v")).scaling(Scaling.PER_KEY, 200).relativeToLast(true)
                .timeFeatures(TimeFeatures.DAY).build();
    }

    /**
     * 30 days of 5-minute rows: 10 + 5 sin(time of day) + N(0, 0.2); on day 25 the afternoon and evening (12:00 to
     * midnight, where the cycle goes down to 5 and back) stay at 10: no jump at either end, and one-step errors
     * smaller than usual (no slope), so only the time of day tells.
     */
    private static float[] flatAfternoon() {
        SplittableRandom rnd = new SplittableRandom(17);
        float[] v = new float[30 * DAY];
        for (int i = 0; i < v.length; i++) {
            boolean flat = i >= 25 * DAY + DAY / 2 && i < 26 * DAY;
            double cycle = flat ? 0 : 5 * Math.sin(2 * Math.PI * (i % DAY) / DAY);
            v[i] = (float) (10 + cycle + 0.2 * rnd.nextGaussian());
        }
        return v;
    }

    private static float[] scores(ForecastModel m, float[] v) {
        float[] out = new float[v.length];
        OneKey.run(m, ON, v, v.length, FIVE_MINUTES, (r, s, b) -> out[r] = b.score(0));
        return out;
    }

    private static int firstAbove(float[] s, int from, int to) {
        for (int r = from; r < to; r++) {
            if (s[r] >= StepperSettings.DEFAULT_THRESHOLD) {
                return r;
            }
        }
        return -1;
    }

    @Test
    void aDayWithoutItsCycleScoresHighWhereOneStepErrorsAreOrdinary() {
        float[] v = flatAfternoon();
        float[] daily = scores(lastValueDaily(), v);
        float[] plain = scores(IntervalsAndLikelihoodTest.lastValue(1), v);
        int start = 25 * DAY + DAY / 2;
        int at = firstAbove(daily, start, start + DAY / 4);
        assertTrue(at >= start, "the flat afternoon reaches the flag threshold within 6 hours: " + at);
        assertEquals(-1, firstAbove(plain, start, 26 * DAY), "one-step errors alone never show it");
        int normal = 0;
        for (int r = 5 * DAY; r < 25 * DAY; r++) {
            normal += daily[r] >= StepperSettings.DEFAULT_THRESHOLD ? 1 : 0;
        }
        assertTrue(normal <= 3, "ordinary days rarely reach it: " + normal + " of " + 20 * DAY + " rows");
    }

    @Test
    void slotsStartEmptyAndFollowTheTimeOfDay() {
        ForecastModel m = lastValueDaily();
        DailyProfile p = new DailyProfile(m);
        float[] st = new float[DailyProfile.size(m)];
        assertEquals(2 + DailyProfile.SLOTS, st.length, "one target: distances seen, scale, 288 slots");
        float[] x = {3f};
        long day = 86_400_000L;
        assertTrue(Float.isNaN(p.surprise(st, 0, 0, x, 0, 7 * FIVE_MINUTES + 1000)), "an empty slot: no surprise");
        assertEquals(3f, st[2 + 7], "the row fell in the eighth slot and fills it");
        assertTrue(Float.isNaN(st[2 + 8]), "the others stay empty");
        x[0] = 5f;
        for (int d = 1; d <= AnomalyScorer.MIN_ERRORS; d++) {
            // The same time on later days: the same slot, its average moving 0.3 of the way each time.
            assertTrue(Float.isNaN(p.surprise(st, 0, d, x, 0, d * day + 7 * FIVE_MINUTES)), "warming up, day " + d);
        }
        assertEquals(AnomalyScorer.MIN_ERRORS, st[0], "one distance per visit after the first");
        float usual = st[2 + 7];
        assertTrue(usual > 4.9f && usual < 5f, "the slot's average approaches 5: " + usual);
        x[0] = usual + 100f; // against a scale under 1: the plain mean of 2, 1.4, 0.98, ...
        float s = p.surprise(st, 0, 11, x, 0, -day + 7 * FIVE_MINUTES);
        assertTrue(s > 100f, "a value far from its slot's usual one, even before the epoch: " + s);
    }

    @Test
    void contextStateIsBoundedAndOnlyForDailySeries() {
        KeyLayout daily = new KeyLayout(lastValueDaily(), true);
        KeyLayout plain = new KeyLayout(IntervalsAndLikelihoodTest.lastValue(1), true);
        int track = AnomalyLikelihood.DAY_AVERAGE + 3;
        assertEquals(1 + track, plain.size - plain.context, "no daily cycle: the 48-row likelihood only");
        assertEquals(1 + 2 * track + DailyProfile.PER_TARGET, daily.size - daily.context);
    }

    @Test
    void aKeyFromBeforeTheContextKeepsEverythingElse() {
        // Cut a key's vector where the context begins, as a savepoint written before it has it: the forecasts and
        // the surprises go on bit for bit; the context starts from its own first row.
        ForecastModel m = lastValueDaily();
        KeyLayout layout = new KeyLayout(m, true);
        float[] v = flatAfternoon();
        int cut = 3 * DAY;
        float[][] straight = new float[v.length][];
        float[][] upgraded = new float[v.length][];
        KeyState[] last = new KeyState[1];
        OneKey.run(m, ON, v, v.length, FIVE_MINUTES,
                (r, s, b) -> straight[r] = new float[] {b.forecast(0, 0), b.surprise(0), b.score(0)});
        OneKey.run(m, ON, v, v.length, FIVE_MINUTES, (r, state) -> r != cut ? state
                : new KeyState(state.recurrent(), state.steps(), state.lastEventTime(),
                        java.util.Arrays.copyOf(state.features(), layout.context)), (r, s, b) -> {
                    upgraded[r] = new float[] {b.forecast(0, 0), b.surprise(0), b.score(0)};
                    last[0] = b.state(0);
                });
        assertEquals(v.length - cut, (long) last[0].features()[layout.context], "the context's own count");
        for (int r = 0; r < v.length; r++) {
            assertEquals(Float.floatToIntBits(straight[r][0]), Float.floatToIntBits(upgraded[r][0]), "forecast " + r);
            assertEquals(Float.floatToIntBits(straight[r][1]), Float.floatToIntBits(upgraded[r][1]), "surprise " + r);
        }
        int start = 25 * DAY + DAY / 2;
        assertTrue(firstAbove(column(upgraded, 2), start, start + DAY / 4) >= start,
                "warmed up again, the profile still finds the flat afternoon");
    }

    private static float[] column(float[][] rows, int c) {
        float[] out = new float[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r][c];
        }
        return out;
    }
}
