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
    private final InputLimits limits;

    public ObservationValidator(int inputSize, InputLimits limits) {
        this.inputSize = inputSize;
        this.limits = limits;
    }

    @Override
    public void processElement(Observation value, Context ctx, Collector<Observation> out) {
        // Before watermarks, so the record's timestamp is still Kafka's (or none), not its event time.
        Long ts = ctx.timestamp();
        ObservationChecks.Rejection bad = ObservationChecks.check(value, inputSize, limits,
                ts != null ? ts : ctx.timerService().currentProcessingTime());
        if (bad == null) {
            out.collect(value);
        } else {
            ctx.output(DeadLetters.TAG, DeadLetters.of(bad.reason, bad.message, value,
                    ctx.timerService().currentProcessingTime()));
        }
    }
}
