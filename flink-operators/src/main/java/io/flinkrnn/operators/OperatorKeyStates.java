package io.flinkrnn.operators;

import io.flinkrnn.operators.state.RnnKeyStateSerializer;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;

/**
 * The operator's keyed state as the stepper's {@link KeyStateStore}: each key's {@link KeyState} in {@code
 * flink-rnn-state}, and its history apart in {@code flink-rnn-history}, written only when the stepper changed it (about
 * once per {@link KeyState#ROWS_PER_HISTORY_WRITE} rows) so that on RocksDB a row moves the state and not the history.
 * Why a class of its own: the two states' names, serializers, time-to-live and the rules of what goes into which are
 * one concept, and the operator's lifecycle is another.
 */
final class OperatorKeyStates implements KeyStateStore {
    private final ValueState<KeyState> state;
    private final ValueState<float[]> history;
    private final Consumer<String> currentKey;
    private final OperatorMetrics metrics;

    /** Over {@code state} and {@code history} (from {@link #stateDescriptor} and {@link #historyDescriptor}). */
    OperatorKeyStates(ValueState<KeyState> state, ValueState<float[]> history, Consumer<String> currentKey,
            OperatorMetrics metrics) {
        this.state = state;
        this.history = history;
        this.currentKey = currentKey;
        this.metrics = metrics;
    }

    /** The key's state, under {@code ttl} when one is set (null: for good). */
    static ValueStateDescriptor<KeyState> stateDescriptor(Duration ttl) {
        ValueStateDescriptor<KeyState> d =
                new ValueStateDescriptor<>("flink-rnn-state", RnnKeyStateSerializer.INSTANCE);
        if (ttl != null) {
            d.enableTimeToLive(ttl(ttl));
        }
        return d;
    }

    /** The key's history apart from its state, under {@link KeyState#historyTtl} of the state's {@code ttl}. */
    static ValueStateDescriptor<float[]> historyDescriptor(Duration ttl) {
        ValueStateDescriptor<float[]> d =
                new ValueStateDescriptor<>("flink-rnn-history", FloatPrimitiveArraySerializer.INSTANCE);
        if (ttl != null) {
            d.enableTimeToLive(ttl(KeyState.historyTtl(ttl)));
        }
        return d;
    }

    private static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().cleanupFullSnapshot()
                .build();
    }

    @Override
    public KeyState read(String key) {
        currentKey.accept(key);
        metrics.stateRead();
        KeyState s = valueOf(state);
        if (s == null) {
            metrics.keyStarted();
        } else if (s.history() != null) { // a state written with its history inside: move it apart
            metrics.historyWritten();
            update(history, s.history());
            s.history(null);
        }
        return s;
    }

    @Override
    public void readHistory(String key, KeyState s) {
        currentKey.accept(key);
        metrics.historyRead();
        s.history(valueOf(history));
    }

    @Override
    public void unstepped(String key, KeyState s) {
        s.history(null); // unchanged, and stored apart already: never left inside the key's state
    }

    @Override
    public void write(String key, KeyState s) {
        currentKey.accept(key);
        metrics.stateWritten();
        if (s.historyDropped()) { // its linear part went with a model update: nothing reads it again
            history.clear();
            s.history(null);
        }
        float[] h = s.history();
        if (h != null) {
            if (s.historyChanged()) {
                metrics.historyWritten();
                update(history, h);
            }
            s.history(null); // kept apart: never inside the key's state
        }
        update(state, s);
    }

    private static <T> T valueOf(ValueState<T> state) {
        try {
            return state.value();
        } catch (IOException e) {
            throw new UncheckedIOException("reading a key's flink-rnn state failed", e);
        }
    }

    private static <T> void update(ValueState<T> state, T s) {
        try {
            state.update(s);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a key's flink-rnn state failed", e);
        }
    }
}
