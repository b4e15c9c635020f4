package io.flinkrnn.operators;

import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.operators.update.ModelUpdateFeed;
import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import java.io.Serializable;
import java.time.Duration;

/**
 * The operator's settings, validated by {@link RnnForecaster.Builder#build()} and shipped with the job
 * graph. Immutable.
 */
public final class ForecastSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    final String modelId;
    final String modelVersion;
    final int batchSize;
    final long maxLatencyMillis;
    final BackendOptions backend;
    final StepperSettings stepper;
    final Duration stateTtl;
    final Duration eventTimeBound;
    final InputLimits limits;
    final ModelUpdateFeed modelUpdates;
    final Duration switchGranularity;

    ForecastSettings(String modelId, String modelVersion, int batchSize, long maxLatencyMillis,
            BackendOptions backend, StepperSettings stepper, Duration stateTtl, Duration eventTimeBound,
            InputLimits limits, ModelUpdateFeed modelUpdates, Duration switchGranularity) {
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.batchSize = batchSize;
        this.maxLatencyMillis = maxLatencyMillis;
        this.backend = backend;
        this.stepper = stepper;
        this.stateTtl = stateTtl;
        this.eventTimeBound = eventTimeBound;
        this.limits = limits;
        this.modelUpdates = modelUpdates;
        this.switchGranularity = switchGranularity;
    }

    /** Null when the job takes no model updates. */
    public ModelUpdateFeed modelUpdates() {
        return modelUpdates;
    }

    /** Updates switch keys from multiples of this in event time (see {@code ModelUpdates}). */
    public Duration switchGranularity() {
        return switchGranularity;
    }

    /** What one record may be: sizes, and how far its event time may run ahead. */
    public InputLimits limits() {
        return limits;
    }

    /** Whether forecasts carry anomaly scores. */
    public boolean anomalyScoring() {
        return stepper.anomalyScoring();
    }

    /** What every key's step does besides forecasting: time-order rules, anomaly scoring. */
    public StepperSettings stepper() {
        return stepper;
    }

    /** Null: keys step in arrival order. Else: in event-time order, with this bounded out-of-orderness. */
    public Duration eventTimeBound() {
        return eventTimeBound;
    }

    public String modelId() {
        return modelId;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public int batchSize() {
        return batchSize;
    }

    public long maxLatencyMillis() {
        return maxLatencyMillis;
    }

    public BackendOptions backend() {
        return backend;
    }

    public TimeOrderPolicy timeOrder() {
        return stepper.timeOrder();
    }

    public DuplicatePolicy duplicates() {
        return stepper.duplicates();
    }

    /** Null when keys never expire. */
    public Duration stateTtl() {
        return stateTtl;
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
