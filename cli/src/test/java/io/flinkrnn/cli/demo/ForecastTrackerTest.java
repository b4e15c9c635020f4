package io.flinkrnn.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.models.evaluate.LinearBaseline;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's per-key figures: the forecasts, the last value and the linear baseline on the same rows. */
class ForecastTrackerTest {

    /** One key: a 24-row cycle, forecast by the last value (so the model's column equals the last value's). */
    static DemoSeries cycle(int rows) {
        long[] times = new long[rows];
        float[] values = new float[rows];
        for (int r = 0; r < rows; r++) {
            times[r] = r * 3_600_000L;
            values[r] = 20f + 5f * (float) Math.sin(2 * Math.PI * r / 24);
        }
        return new DemoSeries("test", "value", List.of(new DemoSeries.Key("k", times, values, new boolean[rows])));
    }

    static ForecastTracker.KeyStats feed(DemoSeries s, LinearBaseline[] linear) {
        ForecastTracker t = new ForecastTracker(s, "1", linear);
        DemoSeries.Key k = s.keys.get(0);
        for (int r = 0; r < k.rows(); r++) {
            float v = k.values[r];
            t.accept(k.name, k.times[r], List.of(v, v), null, null, null, false);
        }
        return t.stats(0);
    }

    @Test
    void theLinearColumnScoresTheKeysRidgeOnTheSameRows() {
        DemoSeries s = cycle(600);
        double[] v = ForecastTracker.values(s.keys.get(0));
        LinearBaseline fit = LinearBaseline.fit(v, LinearBaseline.WINDOW, 2, 240, 240, 300);
        ForecastTracker.KeyStats with = feed(s, new LinearBaseline[] {fit});
        assertEquals(with.lastValueMae(), with.modelMae(), 1e-9, "the forecasts were the last value");
        assertTrue(with.linearMae() < 0.2 * with.lastValueMae(), "a ridge on 96 lags forecasts a 24-row cycle (the"
                + " last value for its first 95 rows): " + with.linearMae() + " against " + with.lastValueMae());
        assertTrue(with.farLinearMae() < 0.2 * with.farLastValueMae(), with.farLinearMae() + " at step 2");
        ForecastTracker.KeyStats without = feed(s, null);
        assertTrue(Double.isNaN(without.linearMae()) && Double.isNaN(without.farLinearMae()), "no column without one");
        assertEquals(with.modelMae(), without.modelMae(), 0.0, "the other columns do not change");
    }
}
