package io.flinkrnn.stepper;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the stepper does besides forecasting, the same in the stream and in every replay: the event-time
 * rules that need a key's state, and whether observations get anomaly scores, intervals and head adaptation.
 * Each rule on these values is written here once: a {@code ...Problem} function that the constructor applies
 * and that a caller with its own setting names (the job, the SQL function, the CLI) applies to name its setting;
 * what depends on the model is {@link #targetsProblem}.
 *
 * @param flagThreshold an observation whose anomaly score reaches this is flagged (in (0, 1])
 * @param intervalCoverage the share of outcomes forecast intervals aim to hold, in (0, 1); 0: no intervals
 * @param surpriseThreshold an observation whose surprise reaches this is flagged too (a ratio to the key's usual
 *     error, at least 1); 0: the likelihood alone flags
 * @param anomalyRules when a key is anomalous (entry threshold, rows to clear)
 */
public record StepperSettings(TimeOrderPolicy timeOrder, DuplicatePolicy duplicates, boolean anomalyScoring,
        double flagThreshold, double intervalCoverage, Adaptation adaptation, double surpriseThreshold,
        AnomalyRules anomalyRules) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The default interval coverage of the job and the SQL function, where targets are observed: 90 %. */
    public static final double DEFAULT_COVERAGE = 0.9;

    /** The default flag threshold: a tail probability of 1e-5 after damping (see {@code AnomalyLikelihood}). */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /**
     * The default surprise threshold: an error 4.5 times the key's usual one (about 3.6 standard deviations of a
     * normal error; the key's own tail raises it, {@code AnomalyFlags}): the most events caught at most 1 false flag
     * per 1,000 rows on generator seeds other than the demo's (docs/BENCHMARKS.md).
     */
    public static final double DEFAULT_SURPRISE = 4.5;

    private static final StepperSettings DEFAULTS = new StepperSettings(TimeOrderPolicy.REJECT, DuplicatePolicy.STEP,
            false, DEFAULT_THRESHOLD, 0, Adaptation.OFF, DEFAULT_SURPRISE, AnomalyRules.DEFAULTS);

    /** Checks every value; all problems in one message. */
    public StepperSettings {
        List<String> problems = new ArrayList<>();
        add(problems, "time-order policy ", timeOrder == null ? "is null (REJECT or ACCEPT)" : null);
        add(problems, "duplicates policy ", duplicates == null ? "is null (STEP or REJECT)" : null);
        add(problems, "adaptation ", adaptation == null ? "is null (OFF or HEAD)" : null);
        add(problems, "anomaly rules ", anomalyRules == null ? "are null (AnomalyRules.DEFAULTS)" : null);
        add(problems, "anomaly threshold ", flagThresholdProblem(flagThreshold));
        add(problems, "anomaly surprise threshold ", surpriseThresholdProblem(surpriseThreshold));
        add(problems, "interval coverage ", coverageProblem(intervalCoverage));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void add(List<String> problems, String name, String problem) {
        if (problem != null) {
            problems.add(name + problem);
        }
    }

    /**
     * What is wrong with {@code x} as a flag threshold, for the caller to prefix with its setting's name, or null:
     * it is in (0, 1].
     */
    public static String flagThresholdProblem(double x) {
        return x > 0 && x <= 1 ? null : "must be in (0, 1], got " + x;
    }

    /** What is wrong with {@code x} as a surprise threshold, or null: it is 0 (none) or a ratio of at least 1. */
    public static String surpriseThresholdProblem(double x) {
        return x == 0 || x >= 1 && x < Float.MAX_VALUE ? null : "must be at least 1, or 0 for none, got " + x;
    }

    /** What is wrong with {@code x} as an interval coverage, or null: it is in (0, 1), or 0 for no intervals. */
    public static String coverageProblem(double x) {
        return x == 0 || x > 0 && x < 1 ? null : "must be in (0, 1), or 0 for no intervals, got " + x;
    }

    /**
     * Why these settings cannot run {@code model}, if they cannot: anomaly scoring, intervals and head adaptation
     * each need every target among the features, since the stream must carry its actual value.
     */
    public Optional<String> targetsProblem(ForecastModel model) {
        if (model.targetsObserved()) {
            return Optional.empty();
        }
        List<String> needing = new ArrayList<>();
        if (anomalyScoring) {
            needing.add("anomaly scoring");
        }
        if (intervalCoverage > 0) {
            needing.add("intervals");
        }
        if (adaptation != Adaptation.OFF) {
            needing.add(adaptation.name().toLowerCase(Locale.ROOT) + " adaptation");
        }
        return needing.isEmpty() ? Optional.empty() : Optional.of("targets " + model.targets() + " are not all among"
                + " the model's input features " + model.features() + ", which " + (needing.size() == 1 ? needing.get(0) : String.join(", ", needing.subList(0,
                needing.size() - 1)) + " and " + needing.get(needing.size() - 1))
                + (needing.size() == 1 ? " needs" : " need") + " (observations must carry their actual values)");
    }

    /**
     * Whether anomaly scoring is on for {@code model} under {@code mode}: {@code off}; {@code on}, which needs every
     * target among the features ({@link #targetsProblem}), else an {@link IllegalArgumentException} for the caller to
     * prefix with its setting's name; or {@code auto}, on exactly when every target is a feature.
     * The job's {@code anomaly.scoring} and the SQL function's {@code scoring} both resolve through this.
     */
    public static boolean scoringFor(String mode, ForecastModel model) {
        if (mode.equals("off")) {
            return false;
        }
        if (mode.equals("on")) {
            DEFAULTS.withAnomalyScoring(true).targetsProblem(model).ifPresent(p -> {
                throw new IllegalArgumentException("is on but " + p);
            });
        }
        return model.targetsObserved();
    }

    /** Reject time going backwards, step duplicates, no anomaly scores: the operator's defaults. */
    public static StepperSettings defaults() {
        return DEFAULTS;
    }

    public StepperSettings withAnomalyScoring(boolean on) {
        return new StepperSettings(timeOrder, duplicates, on, flagThreshold, intervalCoverage, adaptation,
                surpriseThreshold, anomalyRules);
    }

    public StepperSettings withDuplicates(DuplicatePolicy policy) {
        return new StepperSettings(timeOrder, policy, anomalyScoring, flagThreshold, intervalCoverage, adaptation,
                surpriseThreshold, anomalyRules);
    }

    public StepperSettings withTimeOrder(TimeOrderPolicy policy) {
        return new StepperSettings(policy, duplicates, anomalyScoring, flagThreshold, intervalCoverage, adaptation,
                surpriseThreshold, anomalyRules);
    }

    public StepperSettings withFlagThreshold(double threshold) {
        return new StepperSettings(timeOrder, duplicates, anomalyScoring, threshold, intervalCoverage, adaptation,
                surpriseThreshold, anomalyRules);
    }

    public StepperSettings withIntervals(double coverage) {
        return new StepperSettings(timeOrder, duplicates, anomalyScoring, flagThreshold, coverage, adaptation,
                surpriseThreshold, anomalyRules);
    }

    public StepperSettings withAdaptation(Adaptation a) {
        return new StepperSettings(timeOrder, duplicates, anomalyScoring, flagThreshold, intervalCoverage, a,
                surpriseThreshold, anomalyRules);
    }

    public StepperSettings withSurpriseThreshold(double threshold) {
        return new StepperSettings(timeOrder, duplicates, anomalyScoring, flagThreshold, intervalCoverage, adaptation,
                threshold, anomalyRules);
    }

    public StepperSettings withAnomalyRules(AnomalyRules rules) {
        return new StepperSettings(timeOrder, duplicates, anomalyScoring, flagThreshold, intervalCoverage, adaptation,
                surpriseThreshold, rules);
    }

    @Override
    public String toString() {
        return "time-order=" + timeOrder + " duplicates=" + duplicates + " anomaly-scoring="
                + (anomalyScoring ? "on (flag at " + flagThreshold + ", surprise "
                + (surpriseThreshold > 0 ? surpriseThreshold : "off") + ", anomalous from " + anomalyRules.enter()
                + " sd, clear after " + anomalyRules.clearRows() + " rows)" : "off") + " intervals="
                + (intervalCoverage > 0 ? intervalCoverage : "off") + " adaptation=" + adaptation.name().toLowerCase();
    }
}
