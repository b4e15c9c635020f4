package io.flinkrnn.cli.options;

import io.flinkrnn.stepper.StepperSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --threshold}, {@code --surprise}, {@code --coverage}: when a row is flagged, and the forecast intervals. */
public final class Thresholds {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--threshold", paramLabel = "X", converter = Numbers.Positive.class,
            description = "flag a row whose anomaly score reaches X (default: ${DEFAULT-VALUE})")
    public double threshold = StepperSettings.DEFAULT_THRESHOLD;

    @Option(names = "--surprise", paramLabel = "X", converter = Numbers.NonNegative.class,
            description = "flag a sudden change at once: an error X times the key's usual one; 0 = none"
                    + " (default: ${DEFAULT-VALUE})")
    double surprise = StepperSettings.DEFAULT_SURPRISE;

    @Option(names = "--coverage", paramLabel = "X", converter = Numbers.NonNegative.class,
            description = "forecast interval coverage; 0 = no intervals (default: ${DEFAULT-VALUE})")
    public double coverage = StepperSettings.DEFAULT_COVERAGE;

    /** {@code --surprise}: at least 1, or 0 for none. */
    public double surprise() {
        String problem = StepperSettings.surpriseThresholdProblem(surprise);
        if (problem != null) {
            throw new ParameterException(command.commandLine(), "--surprise " + problem);
        }
        return surprise;
    }
}
