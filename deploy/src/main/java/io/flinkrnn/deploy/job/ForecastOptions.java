package io.flinkrnn.deploy.job;

import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.StepperSettings;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * What each key's forecasts learn from its own errors besides anomalies: intervals and online adaptation. Both
 * need every target among the model's features ({@link StepperSettings#targetsProblem}).
 */
public final class ForecastOptions {
    public static final ConfigOption<Adaptation> ADAPTATION = ConfigOptions.key("adaptation")
            .enumType(Adaptation.class).defaultValue(Adaptation.OFF).withDescription("per-key online adaptation of"
                    + " the forecasts: off, or head (a per-key correction of the head learned by normalised LMS;"
                    + " needs every target among the features)");
    public static final ConfigOption<Double> INTERVALS_COVERAGE = ConfigOptions.key("intervals.coverage")
            .doubleType().defaultValue(StepperSettings.DEFAULT_COVERAGE).withDescription("forecast intervals from"
                    + " each key's own errors, aiming to hold this share of outcomes; 0 = off (intervals need every"
                    + " target among the input features)");

    private ForecastOptions() {
    }
}
