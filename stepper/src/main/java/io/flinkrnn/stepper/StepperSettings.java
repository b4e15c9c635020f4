package io.flinkrnn.stepper;

import java.io.Serializable;
import java.util.Objects;

/**
 * What the stepper does besides forecasting, the same in the stream and in every replay: the event-time
 * rules that need a key's state, and whether observations get anomaly scores. Immutable.
 */
public final class StepperSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TimeOrderPolicy timeOrder;
    private final DuplicatePolicy duplicates;
    private final boolean anomalyScoring;
    private final double flagThreshold;
    private final double intervalCoverage;
    private final Adaptation adaptation;
    private final double surpriseThreshold;
    private final AnomalyRules anomalyRules;

    public StepperSettings(TimeOrderPolicy timeOrder, DuplicatePolicy duplicates, boolean anomalyScoring) {
        this(timeOrder, duplicates, anomalyScoring, DEFAULT_THRESHOLD, 0);
    }

    public StepperSettings(TimeOrderPolicy timeOrder, DuplicatePolicy duplicates, boolean anomalyScoring,
            double flagThreshold, double intervalCoverage) {
        this(timeOrder, duplicates, anomalyScoring, flagThreshold, intervalCoverage, Adaptation.OFF);
    }

    /**
     * @param flagThreshold an observation whose anomaly score reaches this is flagged (in (0, 1])
     * @param intervalCoverage the share of outcomes forecast intervals aim to hold, in (0, 1); 0: no intervals
     */
    public StepperSettings(TimeOrderPolicy timeOrder, DuplicatePolicy duplicates, boolean anomalyScoring,
            double flagThreshold, double intervalCoverage, Adaptation adaptation) {
        this(timeOrder, duplicates, anomalyScoring, flagThreshold, intervalCoverage, adaptation, DEFAULT_SURPRISE);
    }

    /**
     * @param surpriseThreshold an observation whose surprise reaches this is flagged too (a ratio to the key's
     *     usual error, at least 1); 0: the likelihood alone flags
     */
    public StepperSettings(TimeOrderPolicy timeOrder, DuplicatePolicy duplicates, boolean anomalyScoring,
            double flagThreshold, double intervalCoverage, Adaptation adaptation, double surpriseThreshold) {
        this(timeOrder, duplicates, anomalyScoring, flagThreshold, intervalCoverage, adaptation, surpriseThreshold,
                AnomalyRules.DEFAULTS);
    }

    /** @param anomalyRules when a key is anomalous (entry threshold, rows to clear) */
    public StepperSettings(TimeOrderPolicy timeOrder, DuplicatePolicy duplicates, boolean anomalyScoring,
            double flagThreshold, double intervalCoverage, Adaptation adaptation, double surpriseThreshold,
            AnomalyRules anomalyRules) {
        this.anomalyRules = Objects.requireNonNull(anomalyRules, "anomaly rules");
        String problem = surpriseThresholdProblem(surpriseThreshold);
        if (problem != null) {
            throw new IllegalArgumentException("surprise threshold " + problem);
        }
        this.surpriseThreshold = surpriseThreshold;
        this.adaptation = Objects.requireNonNull(adaptation, "adaptation");
        this.timeOrder = Objects.requireNonNull(timeOrder, "time-order policy");
        this.duplicates = Objects.requireNonNull(duplicates, "duplicates policy");
        if (!(flagThreshold > 0 && flagThreshold <= 1)) {
            throw new IllegalArgumentException("anomaly flag threshold must be in (0, 1], got " + flagThreshold);
        }
        if (!(intervalCoverage == 0 || intervalCoverage > 0 && intervalCoverage < 1)) {
            throw new IllegalArgumentException("interval coverage must be in (0, 1), or 0 for no intervals, got "
                    + intervalCoverage);
        }
        this.anomalyScoring = anomalyScoring;
        this.flagThreshold = flagThreshold;
        this.intervalCoverage = intervalCoverage;
    }

    /** The default interval coverage of the job and the SQL function, where targets are observed: 90 %. */
    public static final double DEFAULT_COVERAGE = 0.9;

    /**
     * Whether anomaly scoring is on for {@code model} under {@code mode}: {@code off}; {@code on}, which needs every
     * target among the features (the stream must carry its actual value), else an {@link IllegalArgumentException}
     * for the caller to prefix with its setting's name; or {@code auto}, on exactly when every target is a feature.
     * The job's {@code anomaly.scoring} and the SQL function's {@code scoring} both resolve through this.
     */
    public static boolean scoringFor(String mode, ForecastModel model) {
        if (mode.equals("off")) {
            return false;
        }
        if (mode.equals("on") && !model.targetsObserved()) {
            throw new IllegalArgumentException("is on but targets " + model.targets() + " are not all among the"
                    + " model's input features " + model.features() + ", so observations do not carry their actual"
                    + " values");
        }
        return model.targetsObserved();
    }

    /** The default flag threshold: a tail probability of 1e-5 after damping (see {@code AnomalyLikelihood}). */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /**
     * The default surprise threshold: an error 4.5 times the key's usual one (about 3.6 standard deviations of a
     * normal error; the key's own tail raises it, {@code AnomalyFlags}): the most events caught at most 1 false flag
     * per 1,000 rows on generator seeds other than the demo's (docs/BENCHMARKS.md).
     */
    public static final double DEFAULT_SURPRISE = 4.5;

    /**
     * What is wrong with {@code x} as a surprise threshold, for the caller to prefix with the setting's name, or
     * null: it is 0 (none) or a ratio of at least 1.
     */
    public static String surpriseThresholdProblem(double x) {
        return x == 0 || x >= 1 && x < Float.MAX_VALUE ? null : "must be at least 1, or 0 for none, got " + x;
    }

    /** Reject time going backwards, step duplicates, no anomaly scores: the operator's defaults. */
    public static StepperSettings defaults() {
        return new StepperSettings(TimeOrderPolicy.REJECT, DuplicatePolicy.STEP, false);
    }

    public StepperSettings withAnomalyScoring(boolean on) {
        return new StepperSettings(timeOrder, duplicates, on, flagThreshold, intervalCoverage, adaptation,
                surpriseThreshold, anomalyRules);
    }

    public StepperSettings withDuplicates(DuplicatePolicy policy) {
        return new StepperSettings(timeOrder, policy, anomalyScoring, flagThreshold, intervalCoverage, adaptation,
                surpriseThreshold);
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

    /** When a key is anomalous: the entry threshold of the joint signal score and the rows to clear. */
    public AnomalyRules anomalyRules() {
        return anomalyRules;
    }

    /** 0 when only the anomaly score flags. */
    public double surpriseThreshold() {
        return surpriseThreshold;
    }

    public double flagThreshold() {
        return flagThreshold;
    }

    /** Per-key online adaptation of the forecasts. */
    public Adaptation adaptation() {
        return adaptation;
    }

    /** 0 when forecasts carry no intervals. */
    public double intervalCoverage() {
        return intervalCoverage;
    }

    public TimeOrderPolicy timeOrder() {
        return timeOrder;
    }

    public DuplicatePolicy duplicates() {
        return duplicates;
    }

    public boolean anomalyScoring() {
        return anomalyScoring;
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
