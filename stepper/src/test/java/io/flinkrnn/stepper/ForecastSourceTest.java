package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The names a forecast's source goes by in metrics (camel case, as the operator's other metrics) and reports. */
class ForecastSourceTest {
    @Test
    void namesInMetricsAndReports() {
        assertEquals("network", ForecastSource.NETWORK.metricName());
        assertEquals("lastValue", ForecastSource.LAST_VALUE.metricName());
        assertEquals("linearMix", ForecastSource.LINEAR_MIX.metricName());
        assertEquals("last_value", ForecastSource.LAST_VALUE.reportName());
        assertEquals("linear_mix", ForecastSource.LINEAR_MIX.reportName());
        for (ForecastSource s : ForecastSource.values()) {
            assertEquals(s, ForecastSource.of(s.ordinal()));
        }
    }
}
