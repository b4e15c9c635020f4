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

    public StepperSettings(TimeOrderPolicy timeOrder, DuplicatePolicy duplicates, boolean anomalyScoring) {
        this.timeOrder = Objects.requireNonNull(timeOrder, "time-order policy");
        this.duplicates = Objects.requireNonNull(duplicates, "duplicates policy");
        this.anomalyScoring = anomalyScoring;
    }

    /** Reject time going backwards, step duplicates, no anomaly scores: the operator's defaults. */
    public static StepperSettings defaults() {
        return new StepperSettings(TimeOrderPolicy.REJECT, DuplicatePolicy.STEP, false);
    }

    public StepperSettings withAnomalyScoring(boolean on) {
        return new StepperSettings(timeOrder, duplicates, on);
    }

    public StepperSettings withTimeOrder(TimeOrderPolicy policy) {
        return new StepperSettings(policy, duplicates, anomalyScoring);
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
                + (anomalyScoring ? "on" : "off");
    }
}
