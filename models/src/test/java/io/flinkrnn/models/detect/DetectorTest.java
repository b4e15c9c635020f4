package io.flinkrnn.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The detector's calendar comes from the rows it trains on, and its last-value baseline shares it. */
class DetectorTest {
    private static final long HOUR = 3_600_000L;

    /** 100 hourly rows, then 400 daily ones: the whole file's median gap is a day, the first rows' an hour. */
    private static Detector.Rows hourlyThenDaily() {
        long[] t = new long[500];
        float[] v = new float[500];
        for (int i = 1; i < t.length; i++) {
            t[i] = t[i - 1] + (i < 100 ? HOUR : 24 * HOUR);
            v[i] = (float) Math.sin(i / 5.0);
        }
        return new Detector.Rows(t, v);
    }

    @Test
    void theCalendarIsReadOffTheTrainingRowsOnly() {
        Detector.Rows rows = hourlyThenDaily();
        assertEquals(TimeFeatures.DAY_WEEK, Detector.calendar(rows, 100), "no look-ahead at the later rows' gaps");
        assertEquals(TimeFeatures.WEEK_YEAR, Detector.calendar(rows, 500), "the whole file's gap is a day");
    }

    @Test
    void theLastValueBaselineForecastsTheLastValueWithTheCalendarInputs() {
        Detector.Rows rows = hourlyThenDaily();
        ForecastModel m = Detector.lastValueModel(List.of("value"), "value", Detector.calendar(rows, 100));
        assertEquals(TimeFeatures.DAY_WEEK, m.timeFeatures());
        Detector.Scores s = new Detector(StepperSettings.defaults()).score(m, rows, 0);
        for (int r = 1; r < rows.count(); r++) {
            assertEquals(rows.features()[r], s.forecast()[r], 1e-5, "row " + r + "'s forecast is its own value");
        }
    }
}
