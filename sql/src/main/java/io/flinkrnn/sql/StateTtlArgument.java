package io.flinkrnn.sql;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import io.flinkrnn.stepper.KeyState;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.StateTypeStrategy;
import org.apache.flink.table.types.inference.StaticArgument;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.util.TimeUtils;

/**
 * The {@code state_ttl} argument of {@code RNN_FORECAST}: how long an idle key's state is kept, read from the call
 * when the query is planned. Without it a key's state is kept for good, as in the job ({@code state.ttl}) and the
 * DataStream builder, and {@code table.exec.state.ttl} does not apply: a retention set for a pipeline's joins would
 * otherwise reset the recurrent state of every sensor that is quiet for that long. Declaring no TTL also spares every
 * row the TTL bookkeeping (a wrapper and an incremental cleanup pass) that Flink 2.2 gives a process table function's
 * state when nothing is declared. Flink 2.2 migrates keyed state between its TTL and plain layouts on restore, so a
 * running query can add, change or drop the argument from a savepoint. Why an argument and not the annotation: a
 * {@code StateHint} TTL is fixed in the class, and one function serves queries that want either (a state that
 * declares one keeps it where the call gives none).
 */
final class StateTtlArgument implements StateTypeStrategy {
    static final String NAME = "state_ttl";
    private final StateTypeStrategy annotated;
    private final int position;
    private final UnaryOperator<Duration> scale;

    private StateTtlArgument(StateTypeStrategy annotated, int position, UnaryOperator<Duration> scale) {
        this.annotated = annotated;
        this.position = position;
        this.scale = scale;
    }

    /**
     * The annotated type inference with every state's TTL taken from {@value #NAME}, none without it; the state named
     * {@code history} gets {@link KeyState#historyTtl} of it (written once per many rows, it must outlive the rest).
     */
    static TypeInference wrap(TypeInference annotated, String history) {
        List<StaticArgument> arguments = annotated.getStaticArguments().orElseThrow();
        int position = -1;
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i).getName().equals(NAME)) {
                position = i;
            }
        }
        if (position < 0) {
            throw new IllegalStateException("RNN_FORECAST: the function declares no argument " + NAME);
        }
        int at = position;
        return withStates(annotated, (name, s) -> new StateTtlArgument(s, at,
                name.equals(history) ? KeyState::historyTtl : UnaryOperator.identity()));
    }

    /** {@code inference} with each of its states' strategies replaced by {@code replace}'s, the rest as it was. */
    static TypeInference withStates(TypeInference inference,
            BiFunction<String, StateTypeStrategy, StateTypeStrategy> replace) {
        LinkedHashMap<String, StateTypeStrategy> states = new LinkedHashMap<>();
        for (Map.Entry<String, StateTypeStrategy> e : inference.getStateTypeStrategies().entrySet()) {
            states.put(e.getKey(), replace.apply(e.getKey(), e.getValue()));
        }
        return TypeInference.newBuilder().staticArguments(inference.getStaticArguments().orElseThrow())
                .inputTypeStrategy(inference.getInputTypeStrategy()).stateTypeStrategies(states)
                .outputTypeStrategy(inference.getOutputTypeStrategy())
                .disableSystemArguments(inference.disableSystemArguments()).build();
    }

    @Override
    public Optional<DataType> inferType(CallContext call) {
        return annotated.inferType(call);
    }

    @Override
    public Optional<Duration> getTimeToLive(CallContext call) {
        if (call.isArgumentNull(position)) {
            return Optional.of(scale.apply(annotated.getTimeToLive(call).orElse(Duration.ZERO)));
        }
        String text = call.isArgumentLiteral(position) ? call.getArgumentValue(position, String.class).orElse("") : "";
        Duration ttl;
        try {
            ttl = TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw call.newValidationError("RNN_FORECAST: " + NAME + " must be a duration literal such as '7 d', or '0'"
                    + " for no TTL, got '%s'", text);
        }
        if (ttl.isNegative()) {
            throw call.newValidationError("RNN_FORECAST: " + NAME + " must not be negative, got '%s'", text);
        }
        return Optional.of(scale.apply(ttl));
    }
}
