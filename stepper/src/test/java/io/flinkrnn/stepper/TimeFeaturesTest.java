package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Calendar inputs from event times (UTC), and the cycles a sampling interval picks. */
class TimeFeaturesTest {
    @Test
    void phasesAreThoseOfTheCalendar() {
        float[] out = new float[4];
        // Monday 2024-01-01 06:00 UTC: a quarter into the day, a quarter into the week's first day.
        TimeFeatures.DAY_WEEK.write(Instant.parse("2024-01-01T06:00:00Z").toEpochMilli(), out, 0);
        assertEquals(1f, out[0], 1e-6f, "sin of a quarter day");
        assertEquals(0f, out[1], 1e-6f);
        double week = 2 * Math.PI * 0.25 / 7;
        assertEquals((float) Math.sin(week), out[2], 1e-6f, "weeks start on Monday 00:00 UTC");
        assertEquals((float) Math.cos(week), out[3], 1e-6f);
        assertEquals(4, TimeFeatures.DAY_WEEK.count());
        assertEquals(0, TimeFeatures.NONE.count());
    }

    @Test
    void theIntervalPicksTheCycles() {
        assertEquals(TimeFeatures.DAY_WEEK, TimeFeatures.forInterval(Duration.ofMinutes(5)));
        assertEquals(TimeFeatures.DAY_WEEK, TimeFeatures.forInterval(Duration.ofHours(1)));
        assertEquals(TimeFeatures.WEEK_YEAR, TimeFeatures.forInterval(Duration.ofDays(1)));
        assertEquals(TimeFeatures.YEAR, TimeFeatures.forInterval(Duration.ofDays(7)));
        assertEquals(Duration.ofMinutes(5), TimeFeatures.samplingInterval(new long[] {0, 300_000, 600_000, 9_000_000,
            9_300_000}), "the median gap, not the mean: one outage does not change it");
        assertEquals(Duration.ofHours(1), TimeFeatures.samplingInterval(new long[] {5}));
    }
}
