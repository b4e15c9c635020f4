package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The daily profile finds a day that keeps an ordinary level at the wrong hours, and the weekly one a weekday that
 * looks like a Sunday, neither of which one-step errors show; slots follow the event time; a key from before the
 * context part or the weekly part keeps everything else.
 */
class SeasonalProfileTest {
    private static final long FIVE_MINUTES = 300_000L;
    private static final long HOUR = 3_600_000L;
    private static final int DAY = 288;
    private static final StepperSettings ON = StepperSettings.defaults().withAnomalyScoring(true);

    /** The last value as the forecast (a zero head, relative to the last value), with these calendar inputs. */
    static ForecastModel lastValue(TimeFeatures time) {
        int inputs = 1 + time.count();
        RnnModel r = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, inputs, 4, 1, 1, 7);
        RnnModel zero = RnnModel.builder().cell(r.cell()).inputSize(inputs).hiddenSize(4).outputSize(1)
                .addLayer(r.layer(0).weightIhCopy(), r.layer(0).weightHhCopy(), r.layer(0).biasIhCopy(),
                        r.layer(0).biasHhCopy()).head(new float[4], new float[1]).build();
        return ForecastModel.builder(zero).features(List.of("v")).scaling(Scaling.PER_KEY, 200).relativeToLast(true)
                .timeFeatures(time).build();
    }

    static ForecastModel lastValueDaily() {
        return lastValue(TimeFeatures.DAY);
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

    /**
     * 10 weeks of hourly rows from a Thursday (the epoch): on weekdays 10 + 6 sin(time of day), on the weekend 10
     * all day, + N(0, 0.2); the Wednesday of week 9 (day 62) is a holiday with the weekend's flat 10. Each of its
     * hours is ordinary for some day and its ends join smoothly; only the day of week tells.
     */
    private static float[] weekdayHoliday() {
        SplittableRandom rnd = new SplittableRandom(23);
        float[] v = new float[70 * 24];
        for (int i = 0; i < v.length; i++) {
            int day = i / 24;
            boolean weekend = day % 7 == 2 || day % 7 == 3;
            double cycle = weekend || day == HOLIDAY ? 0 : 6 * Math.sin(2 * Math.PI * (i % 24) / 24);
            v[i] = (float) (10 + cycle + 0.2 * rnd.nextGaussian());
        }
        return v;
    }

    private static final int HOLIDAY = 62;

    private static float[] scores(ForecastModel m, float[] v, long step) {
        float[] out = new float[v.length];
        OneKey.run(m, ON, v, v.length, step, (r, s, b) -> out[r] = b.score(0));
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

    private static int countAbove(float[] s, int from, int to) {
        int n = 0;
        for (int r = from; r < to; r++) {
            n += s[r] >= StepperSettings.DEFAULT_THRESHOLD ? 1 : 0;
        }
        return n;
    }

    @Test
    void aDayWithoutItsCycleScoresHighWhereOneStepErrorsAreOrdinary() {
        float[] v = flatAfternoon();
        float[] daily = scores(lastValueDaily(), v, FIVE_MINUTES);
        float[] plain = scores(IntervalsAndLikelihoodTest.lastValue(1), v, FIVE_MINUTES);
        int start = 25 * DAY + DAY / 2;
        int at = firstAbove(daily, start, start + DAY / 4);
        assertTrue(at >= start, "the flat afternoon reaches the flag threshold within 6 hours: " + at);
        assertEquals(-1, firstAbove(plain, start, 26 * DAY), "one-step errors alone never show it");
        int normal = countAbove(daily, 5 * DAY, 25 * DAY);
        assertTrue(normal <= 3, "ordinary days rarely reach it: " + normal + " of " + 20 * DAY + " rows");
    }

    @Test
    void aWeekdayThatLooksLikeTheWeekendScoresHighOnlyWithTheWeeklyProfile() {
        float[] v = weekdayHoliday();
        float[] weekly = scores(lastValue(TimeFeatures.DAY_WEEK), v, HOUR);
        float[] daily = scores(lastValue(TimeFeatures.DAY), v, HOUR);
        int start = HOLIDAY * 24;
        int at = firstAbove(weekly, start, start + 24);
        assertTrue(at >= start, "the holiday reaches the flag threshold on its day: " + at);
        assertEquals(-1, firstAbove(daily, start, start + 24),
                "the daily profile, which sees the weekend every week, does not show it");
        int normal = countAbove(weekly, 28 * 24, start);
        assertTrue(normal <= 3, "ordinary weeks rarely reach it: " + normal + " of " + (start - 28 * 24) + " rows");
    }

    @Test
    void slotsStartEmptyAndFollowTheTimeOfDay() {
        ForecastModel m = lastValueDaily();
        SeasonalProfile p = SeasonalProfile.of(SeasonalProfile.DAILY, m);
        float[] st = new float[p.size()];
        assertEquals(2 + 288, st.length, "one target: distances seen, scale, 288 slots");
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
    void weeklySlotsAreTwoHoursOfTheWeek() {
        SeasonalProfile p = SeasonalProfile.of(SeasonalProfile.WEEKLY, lastValue(TimeFeatures.DAY_WEEK));
        float[] st = new float[p.size()];
        assertEquals(2 + 84, st.length, "one target: distances seen, scale, 84 slots");
        float[] x = {4f};
        long week = 7 * 86_400_000L;
        p.surprise(st, 0, 0, x, 0, 3 * HOUR + 5);
        assertEquals(4f, st[2 + 1], "03:00 on the epoch's day falls in the second 2-hour slot");
        x[0] = 6f;
        p.surprise(st, 0, 1, x, 0, week + 2 * HOUR);
        assertEquals(4f + SeasonalProfile.RATE * 2f, st[2 + 1], "02:00 a week later: the same slot");
        p.surprise(st, 0, 2, x, 0, 86_400_000L + 2 * HOUR);
        assertEquals(6f, st[2 + 13], "the same hour a day later: another slot");
        int filled = 0;
        for (int i = 2; i < st.length; i++) {
            filled += Float.isNaN(st[i]) ? 0 : 1;
        }
        assertEquals(2, filled, "the other slots stay empty");
    }

    @Test
    void contextStateIsBoundedAndOnlyForSeriesWithTheCycle() {
        KeyLayout weekly = new KeyLayout(lastValue(TimeFeatures.DAY_WEEK), true);
        KeyLayout daily = new KeyLayout(lastValueDaily(), true);
        KeyLayout plain = new KeyLayout(IntervalsAndLikelihoodTest.lastValue(1), true);
        int track = AnomalyLikelihood.DAY_AVERAGE + 3;
        assertEquals(1 + track, plain.signals - plain.context, "no daily cycle: the 48-row likelihood only");
        assertEquals(1 + 2 * track + 290, daily.signals - daily.context, "a daily cycle: its profile, no weekly one");
        assertEquals(daily.signals, daily.weekly, "no day-of-week input: no weekly part");
        assertEquals(1 + track + 86, weekly.signals - weekly.weekly, "the weekly part: its count, track and profile");
        assertNull(SeasonalProfile.of(SeasonalProfile.WEEKLY, lastValue(TimeFeatures.WEEK_YEAR)),
                "a daily series' day-of-week input alone gives no weekly profile");
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
        OneKey.run(m, ON, v, v.length, FIVE_MINUTES, cutAt(cut, layout, StatePart.CONTEXT), (r, s, b) -> {
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

    @Test
    void aKeyFromBeforeTheWeeklyPartKeepsEverythingElse() {
        // Cut where the weekly part begins, as a savepoint written before it: every other part ends with the same
        // bits as a key that had it all along; the weekly part counts its own rows and still finds the holiday.
        ForecastModel m = lastValue(TimeFeatures.DAY_WEEK);
        KeyLayout layout = new KeyLayout(m, true);
        float[] v = weekdayHoliday();
        int cut = 14 * 24;
        KeyState[] straight = new KeyState[1];
        KeyState[] upgraded = new KeyState[1];
        float[] scores = new float[v.length];
        OneKey.run(m, ON, v, v.length, HOUR, (r, s, b) -> straight[0] = b.state(0));
        OneKey.run(m, ON, v, v.length, HOUR, cutAt(cut, layout, StatePart.WEEKLY), (r, s, b) -> {
            upgraded[0] = b.state(0);
            scores[r] = b.score(0);
        });
        float[] a = straight[0].features();
        float[] b = upgraded[0].features();
        assertEquals(a.length, b.length);
        assertArrayEquals(Arrays.copyOf(a, layout.weekly), Arrays.copyOf(b, layout.weekly), "the parts before it");
        assertArrayEquals(straight[0].recurrent(), upgraded[0].recurrent(), "the recurrent state");
        assertEquals(v.length - cut, (long) b[layout.weekly], "the weekly part's own count");
        assertTrue(firstAbove(scores, HOLIDAY * 24, HOLIDAY * 24 + 24) >= HOLIDAY * 24,
                "warmed up again, the weekly profile still finds the holiday");
    }

    @Test
    void aKeyFromBeforeTheSignalScoresKeepsEveryOlderPartWithItsBits() {
        // A format-4 savepoint of a weekly model ends where the signals part begins (formats 3 and 4 predate it):
        // every part before it, the weekly one included, carries on bit for bit; signals and hold start fresh.
        ForecastModel m = lastValue(TimeFeatures.DAY_WEEK);
        KeyLayout layout = new KeyLayout(m, true);
        float[] v = weekdayHoliday();
        int cut = 14 * 24;
        KeyState[] straight = new KeyState[1];
        KeyState[] upgraded = new KeyState[1];
        OneKey.run(m, ON, v, v.length, HOUR, (r, s, b) -> straight[0] = b.state(0));
        OneKey.run(m, ON, v, v.length, HOUR, cutAt(cut, layout, StatePart.SIGNALS),
                (r, s, b) -> upgraded[0] = b.state(0));
        float[] a = straight[0].features();
        float[] b = upgraded[0].features();
        assertEquals(layout.parts, upgraded[0].parts());
        assertArrayEquals(Arrays.copyOf(a, layout.signals), Arrays.copyOf(b, layout.signals), "the parts before it");
        assertTrue(b[layout.signals] > 0 && b[layout.signals] <= v.length - cut, "the signals' own count of rows");
    }

    /** Before {@code row}, the key's state as a savepoint written before part {@code end} existed holds it. */
    private static OneKey.Before cutAt(int row, KeyLayout layout, StatePart end) {
        return (r, state) -> r != row ? state : LegacyVectors.of(state, layout, end);
    }

    private static float[] column(float[][] rows, int c) {
        float[] out = new float[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r][c];
        }
        return out;
    }
}
