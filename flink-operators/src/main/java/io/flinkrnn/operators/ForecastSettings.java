package io.flinkrnn.operators;

import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.operators.update.ModelUpdateFeed;
import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's settings, shipped with the job graph: checked once, by the constructor, with every problem in one
 * message; {@link RnnForecaster.Builder} collects them. What each key's step does is the stepper's own value,
 * checked by {@link StepperSettings}.
 *
 * @param modelId written into every forecast
 * @param modelVersion written into every forecast (until an update replaces the model)
 * @param batchSize records per bundle: the most keys stepped in one kernel call, in 1..1,000,000
 * @param maxLatencyMillis how long a record may wait in a bundle; 0 = no timer
 * @param stateTtl null when keys never expire
 * @param eventTimeBound null: keys step in arrival order; else in event-time order, with this out-of-orderness
 * @param limits what one record may be: sizes, and how far its event time may run ahead
 * @param modelUpdates null when the job takes no model updates
 * @param switchGranularity updates switch keys from multiples of this in event time (see {@code ModelUpdates})
 */
public record ForecastSettings(String modelId, String modelVersion, int batchSize, long maxLatencyMillis,
        BackendOptions backend, StepperSettings stepper, Duration stateTtl, Duration eventTimeBound,
        InputLimits limits, ModelUpdateFeed modelUpdates, Duration switchGranularity) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The most records one bundle may hold. */
    public static final int MAX_BATCH_SIZE = 1_000_000;

    public ForecastSettings {
        List<String> problems = problems(modelId, modelVersion, batchSize, maxLatencyMillis, backend, stateTtl,
                eventTimeBound, limits, switchGranularity);
        if (stepper == null) {
            problems.add("stepper settings are null");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Every problem with these values, each naming the job setting it comes from where there is one. */
    static List<String> problems(String modelId, String modelVersion, int batchSize, long maxLatencyMillis,
            BackendOptions backend, Duration stateTtl, Duration eventTimeBound, InputLimits limits,
            Duration switchGranularity) {
        List<String> problems = new ArrayList<>();
        if (limits == null) {
            problems.add("limits are null (InputLimits.defaults())");
        } else {
            problems.addAll(limits.problems());
        }
        if (modelId == null || modelId.isBlank()) {
            problems.add("model id is empty");
        }
        if (modelVersion == null || modelVersion.isBlank()) {
            problems.add("model version is empty");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            problems.add("batch.size must be in 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        if (maxLatencyMillis < 0) {
            problems.add("batch.max-latency must be zero or positive, got " + maxLatencyMillis + " ms");
        }
        if (backend == null) {
            problems.add("backend options are null");
        }
        if (stateTtl != null && (stateTtl.isZero() || stateTtl.isNegative())) {
            problems.add("state.ttl must be positive, got " + stateTtl);
        }
        if (eventTimeBound != null && eventTimeBound.isNegative()) {
            problems.add("event-time out-of-orderness must not be negative, got " + eventTimeBound);
        }
        if (switchGranularity == null || switchGranularity.toMillis() < 1) {
            problems.add("model-updates.granularity must be at least 1 ms, got " + switchGranularity);
        }
        return problems;
    }

    /** Whether forecasts carry anomaly scores. */
    public boolean anomalyScoring() {
        return stepper.anomalyScoring();
    }

    public TimeOrderPolicy timeOrder() {
        return stepper.timeOrder();
    }

    public DuplicatePolicy duplicates() {
        return stepper.duplicates();
    }

    @Override
    public String toString() {
        return "model=" + modelId + ":" + modelVersion + " batch.size=" + batchSize + " batch.max-latency="
                + maxLatencyMillis + "ms " + backend + " " + stepper + " state.ttl="
                + (stateTtl == null ? "none" : stateTtl) + " order="
                + (eventTimeBound == null ? "arrival" : "event-time, out-of-orderness " + eventTimeBound) + " " + limits
                + (modelUpdates == null ? "" : " model-updates=" + modelUpdates.describe() + " every "
                + switchGranularity);
    }
}
