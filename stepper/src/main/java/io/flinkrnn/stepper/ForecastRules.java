package io.flinkrnn.stepper;

import io.flinkrnn.kernels.model.ModelValidationException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The per-key rules that turn a key's raw observations into a network's inputs and its outputs back into
 * forecasts, as one value: a model carries them ({@link ForecastModel}), training fixes them before it starts,
 * and the artifact records them, so each rule, its default and its check are written here once. Checked at
 * construction; what depends on the model (its steps ahead, whether its targets are observed) is checked by
 * {@link #stepsProblem} and {@link #targetsProblem} when the model is known.
 *
 * @param scaling the model's global z-score, or per-key running statistics ({@link RowTransform})
 * @param scalingSpan rows the per-key statistics average over once warmed up (their exponential weight is 1/span)
 * @param relativeToLast the head predicts each step as a change from the key's last value of the target, so a zero
 *     output forecasts exactly the last value
 * @param inputDifferences the change of every feature since the key's previous row is fed too
 * @param timeFeatures calendar inputs computed from each observation's event time
 * @param guard per key and output, how much of the model's change from the last value to trust, learned online
 *     from the key's own errors ({@link ForecastGuard}), with its options
 */
public record ForecastRules(Scaling scaling, int scalingSpan, boolean relativeToLast, boolean inputDifferences,
        TimeFeatures timeFeatures, GuardRules guard) implements Serializable {
    /** The per-key statistics' span unless one is given: about three weeks of hourly rows. */
    public static final int DEFAULT_SCALING_SPAN = 500;

    private static final ForecastRules PLAIN = new ForecastRules(Scaling.GLOBAL, DEFAULT_SCALING_SPAN, false, false,
            TimeFeatures.NONE, GuardRules.off());

    /** Checks the values that need no model: each set, a per-key span of 2 rows or more. */
    public ForecastRules {
        if (scaling == null || timeFeatures == null || guard == null) {
            throw new ModelValidationException("scaling, time features and the guard must be set (not null; the"
                    + " guard may be GuardRules.off())");
        }
        if (scaling == Scaling.PER_KEY && scalingSpan < 2) {
            throw new ModelValidationException("per-key scaling needs a span of at least 2 rows, got " + scalingSpan);
        }
    }

    /** No per-key rule: the network's own inputs as they come, its global z-score, its outputs as forecasts. */
    public static ForecastRules plain() {
        return PLAIN;
    }

    /**
     * What {@code train} uses for a model of {@code steps} steps ahead whose targets are all among its features:
     * per-key scaling, forecasts relative to the last value and the guard with its {@link GuardRules#defaults
     * defaults}; no input differences, and no time features (train picks those from the data's sampling interval).
     */
    public static ForecastRules defaults(int steps) {
        return new ForecastRules(Scaling.PER_KEY, DEFAULT_SCALING_SPAN, true, false, TimeFeatures.NONE,
                GuardRules.defaults(steps));
    }

    public ForecastRules withScaling(Scaling s, int span) {
        return new ForecastRules(s, span, relativeToLast, inputDifferences, timeFeatures, guard);
    }

    public ForecastRules withRelativeToLast(boolean on) {
        return new ForecastRules(scaling, scalingSpan, on, inputDifferences, timeFeatures, guard);
    }

    public ForecastRules withInputDifferences(boolean on) {
        return new ForecastRules(scaling, scalingSpan, relativeToLast, on, timeFeatures, guard);
    }

    public ForecastRules withTimeFeatures(TimeFeatures time) {
        return new ForecastRules(scaling, scalingSpan, relativeToLast, inputDifferences, time, guard);
    }

    public ForecastRules withGuard(GuardRules g) {
        return new ForecastRules(scaling, scalingSpan, relativeToLast, inputDifferences, timeFeatures, g);
    }

    /** The network inputs derived per row from {@code features} measured values: them, their differences, time. */
    public int networkInputs(int features) {
        return networkInputs(features, inputDifferences, timeFeatures);
    }

    /** The network inputs derived per row: features, their differences, time features. */
    public static int networkInputs(int features, boolean differences, TimeFeatures time) {
        return features * (differences ? 2 : 1) + time.count();
    }

    /** The measured values per observation a network of {@code networkInputs} inputs takes under these rules. */
    public int measuredFeatures(int networkInputs) {
        return (networkInputs - timeFeatures.count()) / (inputDifferences ? 2 : 1);
    }

    /** Why these rules cannot run in a model of {@code steps} steps ahead, if they cannot. */
    public Optional<String> stepsProblem(int steps) {
        return guard.stepsProblem(steps);
    }

    /**
     * Why these rules cannot run on observations of {@code features} forecasting {@code targets}, if they cannot:
     * per-key scaling, relative forecasts and the guard all need each target's actual value in every observation.
     */
    public Optional<String> targetsProblem(List<String> features, List<String> targets) {
        if (!targets.isEmpty() && features.containsAll(targets)) {
            return Optional.empty();
        }
        String rule = scaling == Scaling.PER_KEY ? "per-key scaling" : relativeToLast
                ? "forecasts relative to the last value" : guard.enabled() ? "the guard" : null;
        return Optional.ofNullable(rule).map(r -> r + " need every target to be a feature (observations must carry"
                + " its actual value), but targets " + targets + " are not all among features " + features);
    }

    /** A one-line description for logs and reports, such as {@code scaling=per_key(span 500) relative-to-last guard}. */
    public String describe() {
        String guardPart = guard.describe();
        return "scaling=" + scaling.name().toLowerCase(Locale.ROOT)
                + (scaling == Scaling.PER_KEY ? "(span " + scalingSpan + ")" : "")
                + (relativeToLast ? " relative-to-last" : "") + (inputDifferences ? " differences" : "")
                + (timeFeatures == TimeFeatures.NONE ? "" : " time=" + timeFeatures.name().toLowerCase(Locale.ROOT))
                + (guardPart.isEmpty() ? "" : " " + guardPart);
    }

    /** Every rule by name, as training records them in a report and in the artifact's provenance. */
    public Map<String, String> byName() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("scaling", scaling.name().toLowerCase(Locale.ROOT) + (scaling == Scaling.PER_KEY ? "/" + scalingSpan : ""));
        m.put("relativeToLast", Boolean.toString(relativeToLast));
        m.put("inputDifferences", Boolean.toString(inputDifferences));
        m.put("timeFeatures", timeFeatures.name().toLowerCase(Locale.ROOT));
        m.put("guard", Boolean.toString(guard.enabled()));
        m.put("guardRecent", Integer.toString(guard.recent()));
        m.put("guardLevel", Integer.toString(guard.level()));
        m.put("guardEvidence", Float.toString(guard.evidence()));
        m.put("guardLinear", Integer.toString(guard.linear()));
        m.put("guardError", guard.error().name().toLowerCase(Locale.ROOT));
        return m;
    }
}
