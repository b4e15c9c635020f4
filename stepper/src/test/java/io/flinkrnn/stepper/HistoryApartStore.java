package io.flinkrnn.stepper;

import java.util.HashMap;
import java.util.Map;

/**
 * A store that keeps each key's history apart from its state, as the operator's and the SQL function's do: the state
 * it hands out is a copy with no history, and the history is loaded only when the stepper asks, written only when it
 * changed. For tests of the stepper and of the states older versions wrote.
 */
public final class HistoryApartStore implements KeyStateStore {
    /** Each key's state, without its history. */
    public final Map<String, KeyState> states = new HashMap<>();
    /** Each key's history. */
    public final Map<String, float[]> histories = new HashMap<>();
    /** How many times the stepper loaded a history, and how many times one was written. */
    public int historyReads;
    public int historyWrites;

    @Override
    public KeyState read(String key) {
        KeyState s = states.get(key);
        return s == null ? null : s.copy();
    }

    @Override
    public void readHistory(String key, KeyState s) {
        historyReads++;
        float[] h = histories.get(key);
        s.history(h == null ? null : h.clone());
    }

    @Override
    public void write(String key, KeyState s) {
        if (s.historyDropped()) {
            histories.remove(key);
            s.history(null);
        }
        if (s.history() != null && s.historyChanged()) {
            histories.put(key, s.history().clone());
            historyWrites++;
        }
        KeyState kept = s.copy();
        kept.history(null);
        states.put(key, kept);
    }
}
