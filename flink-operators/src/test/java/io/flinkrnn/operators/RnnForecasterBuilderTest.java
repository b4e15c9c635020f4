package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The builder names every problem at build(), in one message; valid anomaly settings reach the stepper. */
class RnnForecasterBuilderTest {
    @Test
    void badAnomalyThresholdsAreNamedTogether() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RnnStepOperatorTest.settings(RnnStepOperatorTest.MODEL).anomalyThreshold(1.5)
                        .surpriseThreshold(0.5).anomalous(4, 0).build());
        assertTrue(e.getMessage().startsWith("invalid flink-rnn forecaster: "), e.getMessage());
        assertTrue(e.getMessage().contains("anomaly threshold must be in (0, 1], got 1.5"), e.getMessage());
        assertTrue(e.getMessage().contains("anomaly surprise threshold must be at least 1, or 0 for none, got 0.5"),
                e.getMessage());
        assertTrue(e.getMessage().contains("anomaly clear rows must be at least 1, got 0"), e.getMessage());
    }

    @Test
    void theSurpriseThresholdReachesTheStepper() {
        RnnForecaster f = RnnStepOperatorTest.settings(RnnStepOperatorTest.MODEL).surpriseThreshold(0).build();
        assertEquals(0.0, f.settings().stepper().surpriseThreshold());
        RnnForecaster d = RnnStepOperatorTest.settings(RnnStepOperatorTest.MODEL).build();
        assertEquals(4.5, d.settings().stepper().surpriseThreshold(), "the default");
    }

    @Test
    void theAnomalousRulesReachTheStepper() {
        RnnForecaster f = RnnStepOperatorTest.settings(RnnStepOperatorTest.MODEL).anomalous(3, 10).build();
        assertEquals(new io.flinkrnn.stepper.AnomalyRules(3, 10), f.settings().stepper().anomalyRules());
        assertEquals(io.flinkrnn.stepper.AnomalyRules.DEFAULTS,
                RnnStepOperatorTest.settings(RnnStepOperatorTest.MODEL).build().settings().stepper().anomalyRules());
    }

    @Test
    void targetsNotAmongTheFeaturesAreOneProblemNamingEverythingThatNeedsThem() {
        io.flinkrnn.stepper.ForecastModel unobserved = io.flinkrnn.stepper.ForecastModel.builder(
                RnnStepOperatorTest.MODEL).features(java.util.List.of("a", "b", "d")).targets(java.util.List.of("c"))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RnnForecaster.builder()
                .model(unobserved, "m", "1").anomalyScoring(true).intervals(0.9)
                .adaptation(io.flinkrnn.stepper.Adaptation.HEAD).build());
        assertEquals("invalid flink-rnn forecaster: targets [c] are not all among the model's input features [a, b,"
                + " d], which anomaly scoring, intervals and head adaptation need (observations must carry their"
                + " actual values)", e.getMessage());
    }
}
