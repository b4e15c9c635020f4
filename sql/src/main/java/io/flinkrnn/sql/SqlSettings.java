package io.flinkrnn.sql;

import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import java.util.Locale;

/**
 * The optional arguments of {@code RNN_FORECAST} turned into the stepper's settings, with the job's defaults
 * (intervals at {@link StepperSettings#DEFAULT_COVERAGE} and anomaly scoring where every target is a feature;
 * time going backwards rejected) and one check each, whose message names the argument.
 *
 * @param coverage {@code intervals}: the interval coverage in (0, 1), 0 for none, as a string; null: the default
 * @param scoring {@code scoring}: auto, on or off; null: auto
 * @param threshold {@code threshold}: the likelihood that flags a row, in (0, 1], as a string; null: the default
 * @param surprise {@code surprise}: the surprise that flags a row, 0 or at least 1, as a string; null: the default
 * @param timeOrder {@code time_order}: reject or accept a row behind its key's last one; null: reject
 * @param duplicates {@code duplicates}: step or reject a row at its key's last time; null: step
 */
record SqlSettings(String coverage, String scoring, String threshold, String surprise, String timeOrder,
        String duplicates) {

    /** The stepper's settings for {@code model}; throws naming the argument that is wrong. */
    StepperSettings stepper(ForecastModel model) {
        String mode = scoring == null ? "auto" : scoring.toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("on") && !mode.equals("off")) {
            throw new IllegalArgumentException("RNN_FORECAST: scoring must be 'auto', 'on' or 'off', got '"
                    + scoring + "'");
        }
        boolean scored;
        try {
            scored = StepperSettings.scoringFor(mode, model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RNN_FORECAST: scoring " + e.getMessage(), e);
        }
        double c = coverage != null ? number("intervals", coverage)
                : model.targetsObserved() ? StepperSettings.DEFAULT_COVERAGE : 0;
        if (c > 0 && !model.targetsObserved()) {
            throw new IllegalArgumentException("RNN_FORECAST: intervals need every target among the features: "
                    + "targets " + model.targets() + ", features " + model.features());
        }
        String order = timeOrder == null ? "reject" : timeOrder.toLowerCase(Locale.ROOT);
        if (!order.equals("reject") && !order.equals("accept")) {
            throw new IllegalArgumentException("RNN_FORECAST: time_order must be 'reject' or 'accept', got '"
                    + timeOrder + "'");
        }
        String dup = duplicates == null ? "step" : duplicates.toLowerCase(Locale.ROOT);
        if (!dup.equals("step") && !dup.equals("reject")) {
            throw new IllegalArgumentException("RNN_FORECAST: duplicates must be 'step' or 'reject', got '"
                    + duplicates + "'");
        }
        try {
            return StepperSettings.defaults()
                    .withDuplicates(dup.equals("reject") ? DuplicatePolicy.REJECT : DuplicatePolicy.STEP).withAnomalyScoring(scored)
                    .withFlagThreshold(threshold != null ? number("threshold", threshold)
                            : StepperSettings.DEFAULT_THRESHOLD)
                    .withSurpriseThreshold(surprise != null ? number("surprise", surprise)
                            : StepperSettings.DEFAULT_SURPRISE)
                    .withIntervals(c)
                    .withTimeOrder(order.equals("accept") ? TimeOrderPolicy.ACCEPT : TimeOrderPolicy.REJECT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RNN_FORECAST: " + e.getMessage(), e);
        }
    }

    /** A numeric argument, written as a string ('0.95'). */
    private static double number(String name, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RNN_FORECAST: " + name + " must be a number, got '" + v + "'");
        }
    }
}
