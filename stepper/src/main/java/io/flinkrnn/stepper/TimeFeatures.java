package io.flinkrnn.stepper;

import java.time.Duration;

/**
 * Calendar inputs derived from an observation's event time (UTC): for each cycle a sine and a cosine of the
 * position in it, so midnight and 23:59 are neighbours. The stream sends only measured values; the stepper
 * derives these the same way in the stream, in replays and in training. Computed in double with {@link
 * StrictMath} (the same bits on every JVM) and rounded to float once.
 */
public enum TimeFeatures {
    NONE(false, false, false),
    /** Hour of day. */
    DAY(true, false, false),
    /** Hour of day and day of week: sub-daily series (sensors, traffic, load). */
    DAY_WEEK(true, true, false),
    /** Day of week and day of year: daily series (weather, markets). */
    WEEK_YEAR(false, true, true),
    /** Day of year: weekly and slower series. */
    YEAR(false, false, true);

    private static final double DAY_MS = 86_400_000d;
    private static final double WEEK_MS = 7 * DAY_MS;
    private static final double YEAR_MS = 365.2425 * DAY_MS;
    /** 1970-01-01 was a Thursday: shift so that weeks start on Monday 00:00 UTC. */
    private static final double WEEK_SHIFT_MS = 3 * DAY_MS;

    private final boolean day;
    private final boolean week;
    private final boolean year;

    TimeFeatures(boolean day, boolean week, boolean year) {
        this.day = day;
        this.week = week;
        this.year = year;
    }

    /** Whether this includes the hour of day: the series has a daily cycle. */
    public boolean daily() {
        return day;
    }

    /** Whether this includes the day of week: the series may have a weekly cycle. */
    public boolean weekly() {
        return week;
    }

    /** Inputs this adds to the network. */
    public int count() {
        return 2 * ((day ? 1 : 0) + (week ? 1 : 0) + (year ? 1 : 0));
    }

    /** The cycles that a series sampled every {@code interval} can show: sub-daily, daily, or slower. */
    public static TimeFeatures forInterval(Duration interval) {
        if (interval.compareTo(Duration.ofHours(12)) < 0) {
            return DAY_WEEK;
        }
        if (interval.compareTo(Duration.ofDays(3)) < 0) {
            return WEEK_YEAR;
        }
        return YEAR;
    }

    /** The median gap between consecutive times: a series' sampling interval (an hour when there is no gap). */
    public static Duration samplingInterval(long[] times) {
        if (times.length < 2) {
            return Duration.ofHours(1);
        }
        long[] gaps = new long[times.length - 1];
        for (int i = 1; i < times.length; i++) {
            gaps[i - 1] = Math.abs(times[i] - times[i - 1]);
        }
        java.util.Arrays.sort(gaps);
        return Duration.ofMillis(Math.max(1, gaps[gaps.length / 2]));
    }

    /** Writes {@link #count()} values for {@code eventTimeMillis} at {@code out[at..]}. */
    public void write(long eventTimeMillis, float[] out, int at) {
        double t = eventTimeMillis;
        int i = at;
        if (day) {
            i = cycle(t, DAY_MS, 0, out, i);
        }
        if (week) {
            i = cycle(t, WEEK_MS, WEEK_SHIFT_MS, out, i);
        }
        if (year) {
            cycle(t, YEAR_MS, 0, out, i);
        }
    }

    private static int cycle(double t, double period, double shift, float[] out, int i) {
        double phase = (t + shift) % period;
        if (phase < 0) {
            phase += period;
        }
        double angle = 2 * Math.PI * (phase / period);
        out[i] = (float) StrictMath.sin(angle);
        out[i + 1] = (float) StrictMath.cos(angle);
        return i + 2;
    }
}
