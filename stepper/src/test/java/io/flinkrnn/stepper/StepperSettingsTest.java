package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each rule of the stepper's settings is checked here once, and a bad value gives exactly one message. */
class StepperSettingsTest {
    private static final ForecastModel UNOBSERVED = ForecastModel.builder(RandomInit.model(CellType.GRU,
            GruResetMode.AFTER_PRODUCT, 2, 4, 1, 1, 1)).features(List.of("a", "b")).targets(List.of("c")).build();

    private static String failure(StepperSettings base, java.util.function.UnaryOperator<StepperSettings> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(base)).getMessage();
    }

    @Test
    void aBadFlagThresholdIsOneMessage() {
        assertEquals("anomaly threshold must be in (0, 1], got 1.5",
                failure(StepperSettings.defaults(), s -> s.withFlagThreshold(1.5)));
        assertEquals("must be in (0, 1], got 0.0", StepperSettings.flagThresholdProblem(0));
    }

    @Test
    void aBadSurpriseThresholdIsOneMessage() {
        assertEquals("anomaly surprise threshold must be at least 1, or 0 for none, got 0.5",
                failure(StepperSettings.defaults(), s -> s.withSurpriseThreshold(0.5)));
    }

    @Test
    void aBadIntervalCoverageIsOneMessage() {
        assertEquals("interval coverage must be in (0, 1), or 0 for no intervals, got 1.0",
                failure(StepperSettings.defaults(), s -> s.withIntervals(1)));
        assertEquals(null, StepperSettings.coverageProblem(0));
    }

    @Test
    void everyBadValueIsNamedInTheOneMessage() {
        assertEquals("anomaly threshold must be in (0, 1], got 2.0; interval coverage must be in (0, 1), or 0 for no"
                + " intervals, got -1.0", assertThrows(IllegalArgumentException.class, () -> new StepperSettings(
                        TimeOrderPolicy.REJECT, DuplicatePolicy.STEP, false, 2, -1, Adaptation.OFF, 0,
                        AnomalyRules.DEFAULTS)).getMessage());
    }

    @Test
    void everyTargetAmongTheFeaturesIsOneRuleNamingWhatNeedsIt() {
        assertEquals(Optional.empty(), StepperSettings.defaults().targetsProblem(UNOBSERVED), "nothing needs it");
        assertEquals(Optional.of("targets [c] are not all among the model's input features [a, b], which intervals"
                + " and head adaptation need (observations must carry their actual values)"), StepperSettings
                .defaults().withIntervals(0.9).withAdaptation(Adaptation.HEAD).targetsProblem(UNOBSERVED));
        assertEquals("is on but targets [c] are not all among the model's input features [a, b], which anomaly"
                + " scoring needs (observations must carry their actual values)", assertThrows(
                        IllegalArgumentException.class, () -> StepperSettings.scoringFor("on", UNOBSERVED))
                .getMessage());
        assertEquals(false, StepperSettings.scoringFor("auto", UNOBSERVED));
    }

    @Test
    void theAnomalousRulesAreCheckedOnce() {
        assertEquals("anomaly entry threshold must be a positive number, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new AnomalyRules(0, 30)).getMessage());
        assertEquals("must be at least 1, got 0", AnomalyRules.clearRowsProblem(0));
    }
}
