package io.flinkrnn.deploy.job;

import io.flinkrnn.stepper.AnomalyRules;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * How forecasts are scored and flagged from each key's own errors. The defaults are the stepper's ({@link
 * StepperSettings}, {@link AnomalyRules}), and so are the checks of every value.
 */
public final class AnomalyOptions {
    /** Whether forecasts carry anomaly scores; {@link StepperSettings#scoringFor} resolves it for a model. */
    public enum Scoring {
        AUTO, ON, OFF;

        /** On or off for {@code model}; {@code on} needs every target among its features. */
        public boolean resolve(ForecastModel model) {
            return StepperSettings.scoringFor(toString(), model);
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final ConfigOption<Scoring> SCORING = ConfigOptions.key("anomaly.scoring").enumType(Scoring.class)
            .defaultValue(Scoring.AUTO).withDescription("anomaly score per forecast from the key's one-step forecast"
                    + " errors: on, off, or auto (on when every target is also an input feature)");
    public static final ConfigOption<Double> THRESHOLD = ConfigOptions.key("anomaly.threshold").doubleType()
            .defaultValue(StepperSettings.DEFAULT_THRESHOLD).withDescription("forecasts whose anomaly score (in [0,"
                    + " 1]) reaches this are flagged; 0.5 = a tail probability of 1e-5");
    public static final ConfigOption<Double> SURPRISE = ConfigOptions.key("anomaly.surprise").doubleType()
            .defaultValue(StepperSettings.DEFAULT_SURPRISE).withDescription("forecasts whose surprise (a sudden"
                    + " change: one-step error, or the last 3 rows' against earlier forecasts, over the key's usual"
                    + " size) reaches this and the key's own 99.9% quantile of surprises are flagged too, at once; 0 ="
                    + " only the anomaly score flags");
    public static final ConfigOption<Double> ANOMALOUS_ENTER = ConfigOptions.key("anomaly.anomalous.enter")
            .doubleType().defaultValue(AnomalyRules.DEFAULTS.enter()).withDescription("forecasts are anomalous from"
                    + " a row where a target lies this many of the key's standard deviations from its learned normal");
    public static final ConfigOption<Integer> ANOMALOUS_CLEAR_ROWS = ConfigOptions.key("anomaly.anomalous.clear-rows")
            .intType().defaultValue(AnomalyRules.DEFAULTS.clearRows()).withDescription("... until this many rows in a"
                    + " row stay under it");

    private AnomalyOptions() {
    }
}
