package io.flinkrnn.operators;

import io.flinkrnn.schemas.Observation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs before {@code keyBy}: a record without a key would fail the key hash, so every stateless check
 * ({@link ObservationChecks}) happens here and bad records leave through {@link DeadLetters#TAG}.
 */
public final class ObservationValidator extends ProcessFunction<Observation, Observation> {
    private static final long serialVersionUID = 1L;
    private final int inputSize;

    public ObservationValidator(int inputSize) {
        this.inputSize = inputSize;
    }

    @Override
    public void processElement(Observation value, Context ctx, Collector<Observation> out) {
        ObservationChecks.Rejection bad = ObservationChecks.check(value, inputSize);
        if (bad == null) {
            out.collect(value);
        } else {
            ctx.output(DeadLetters.TAG, DeadLetters.of(bad.reason, bad.message, value,
                    ctx.timerService().currentProcessingTime()));
        }
    }
}
