package io.flinkrnn.operators.bundle;

import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * What a flush does, without Flink: hands the bundle's rows to the {@link KeyStepper}, reads each distinct
 * key's state once before and writes it once after, and turns every row into a {@link Forecast} or a dead
 * letter, in arrival order. The operator supplies the state access and the outputs.
 */
public final class BundleFlush {
    /** A key's state in keyed state storage. */
    public interface KeyStates {
        KeyState read(String key) throws Exception;

        void write(String key, KeyState state) throws Exception;
    }

    /** Where the rows go. */
    public interface Output {
        void forecast(int row, Forecast forecast);

        void rejected(int row, DeadLetterReason reason, String message);
    }

    private final KeyStepper stepper;
    private final String modelId;
    private final String modelVersion;
    private final String backendName;
    private final int outputs;
    private final int steps;
    private final boolean intervals;
    private final boolean scoring;

    public BundleFlush(KeyStepper stepper, String modelId, String modelVersion, String backendName) {
        this.stepper = stepper;
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.backendName = backendName;
        this.outputs = stepper.model().outputs();
        this.steps = stepper.model().steps();
        this.intervals = stepper.settings().intervalCoverage() > 0;
        this.scoring = stepper.settings().anomalyScoring();
    }

    /** Steps every record of {@code bundle}; returns the batch for its counters (kernel time, keys). */
    public StepBatch flush(ObservationBundle bundle, KeyStates states, Output out) throws Exception {
        StepBatch b = stepper.batch();
        b.clear();
        int n = bundle.size();
        for (int i = 0; i < n; i++) {
            Observation o = bundle.record(i);
            b.add(o.getKey(), o.getEventTime().toEpochMilli(), o.getValues());
        }
        int keys = b.plan();
        for (int k = 0; k < keys; k++) {
            b.state(k, states.read(b.key(k)));
        }
        stepper.step(b);
        for (int k = 0; k < keys; k++) {
            if (b.changed(k)) {
                states.write(b.key(k), b.state(k));
            }
        }
        for (int r = 0; r < n; r++) {
            if (b.rejected(r)) {
                out.rejected(r, b.rejection(r), b.rejectionMessage(r));
                continue;
            }
            List<Float> values = new ArrayList<>(outputs);
            List<Float> lower = intervals ? new ArrayList<>(outputs) : null;
            List<Float> upper = intervals ? new ArrayList<>(outputs) : null;
            for (int i = 0; i < outputs; i++) {
                values.add(b.forecast(r, i));
                if (intervals) {
                    lower.add(b.lower(r, i));
                    upper.add(b.upper(r, i));
                }
            }
            Observation o = bundle.record(r);
            // The all-args constructor: the builder resolves schema defaults on every record.
            out.forecast(r, new Forecast(o.getKey(), o.getEventTime(), modelId, modelVersion, steps, values,
                    backendName, scoring ? b.score(r) : null, lower, upper,
                    scoring && !Float.isNaN(b.rawScore(r)) ? b.rawScore(r) : null,
                    scoring ? stepper.flagged(b, r) : null));
        }
        return b;
    }
}
