package io.flinkrnn.stepper;

import java.util.HashMap;
import java.util.Map;

/**
 * Where {@link KeyStepper#step(StepBatch, KeyStateStore)} reads each distinct key's state once before a batch and
 * writes it back once after: Flink keyed state in the operator, a map in every replay. A state store that fails
 * throws an unchecked exception (the operator's wraps Flink's {@code IOException}), which fails the batch.
 */
public interface KeyStateStore {
    /** The key's state, or null for a key never seen (or expired). */
    KeyState read(String key);

    /**
     * Stores the key's state after it stepped (or moved to another model), with its {@linkplain KeyState#history()
     * history} when that is loaded and {@linkplain KeyState#historyChanged() changed}.
     */
    void write(String key, KeyState state);

    /**
     * Sets {@code state}'s history ({@link KeyState#history(float[])}) from this store, for a store that keeps it apart
     * from the state: the stepper asks only before a batch whose rows of the key read or write it. This default is a
     * store that keeps the history inside the state it reads, so there is nothing to load.
     */
    default void readHistory(String key, KeyState state) {
    }

    /**
     * Hears of a key whose history was loaded for a batch in which none of its rows stepped: its state is not written
     * back (nothing in it changed, its history included). A store that keeps the history apart takes it off {@code
     * state}, which it may hand out again (the heap keeps the very object); this default keeps it inside.
     */
    default void unstepped(String key, KeyState state) {
    }

    /** A fresh in-memory store. */
    static InMemory inMemory() {
        return new InMemory(new HashMap<>());
    }

    /** The in-memory store; {@link #states()} shows what it holds. */
    final class InMemory implements KeyStateStore {
        private final Map<String, KeyState> states;

        InMemory(Map<String, KeyState> states) {
            this.states = states;
        }

        @Override
        public KeyState read(String key) {
            return states.get(key);
        }

        @Override
        public void write(String key, KeyState state) {
            states.put(key, state);
        }

        /** Every key's state, by key. */
        public Map<String, KeyState> states() {
            return states;
        }
    }
}
