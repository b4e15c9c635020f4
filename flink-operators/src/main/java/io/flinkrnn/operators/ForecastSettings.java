package io.flinkrnn.operators;

import io.flinkrnn.kernels.BackendOptions;
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
    final TimeOrderPolicy timeOrder;
    final DuplicatePolicy duplicates;
    final Duration stateTtl;
    final Duration eventTimeBound;
    /** For each target, the input index carrying its actual value; null: anomaly scoring off. */
    final int[] anomalyTargets;

    ForecastSettings(String modelId, String modelVersion, int batchSize, long maxLatencyMillis,
            BackendOptions backend, TimeOrderPolicy timeOrder, DuplicatePolicy duplicates, Duration stateTtl,
            Duration eventTimeBound, int[] anomalyTargets) {
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.batchSize = batchSize;
        this.maxLatencyMillis = maxLatencyMillis;
        this.backend = backend;
        this.timeOrder = timeOrder;
        this.duplicates = duplicates;
        this.stateTtl = stateTtl;
        this.eventTimeBound = eventTimeBound;
        this.anomalyTargets = anomalyTargets == null ? null : anomalyTargets.clone();
    }

    /** Whether forecasts carry anomaly scores. */
    public boolean anomalyScoring() {
        return anomalyTargets != null;
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
        return timeOrder;
    }

    public DuplicatePolicy duplicates() {
        return duplicates;
    }

    /** Null when keys never expire. */
    public Duration stateTtl() {
        return stateTtl;
    }

    @Override
    public String toString() {
        return "model=" + modelId + ":" + modelVersion + " batch.size=" + batchSize + " batch.max-latency="
                + maxLatencyMillis + "ms " + backend + " time-order=" + timeOrder + " duplicates=" + duplicates
                + " state.ttl=" + (stateTtl == null ? "none" : stateTtl) + " order="
                + (eventTimeBound == null ? "arrival" : "event-time, out-of-orderness " + eventTimeBound)
                + " anomaly-scoring=" + (anomalyTargets == null ? "off" : java.util.Arrays.toString(anomalyTargets));
    }
}
