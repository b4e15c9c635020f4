package io.flinkrnn.stepper;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything kept per key between its observations: the recurrent state of every layer in the kernels'
 * layout ({@code RnnModel.stateSize()} floats: all h, then all c for LSTM), how many steps the key has taken,
 * the event time of its last step, the stepper's per-key features (running scaling statistics, the
 * guard's history, anomaly scoring) as one flat vector, the {@link StateParts} that say what that vector holds
 * (null for a vector read from a state format that did not record them), which model update's version it
 * steps with, and its history: values that only some rows read (the linear forecaster's older values), which a store
 * may keep apart and load only when the stepper asks ({@link KeyStateStore#readHistory}). Mutable and reused while a
 * bundle is stepped; Flink keeps it in keyed state through its own serializer.
 */
public final class KeyState {
    /** No step taken yet. */
    public static final long NO_EVENT_TIME = Long.MIN_VALUE;
    /** The key is on the model the job was started with, not on one from a model update. */
    public static final long STARTING_MODEL = Long.MIN_VALUE;
    /**
     * At most this many stepped rows of a key pass between two writes of its {@linkplain #history() history}: a store
     * that keeps the history apart under a time-to-live gives it this many times the state's, so that it never
     * expires while the state lives.
     */
    public static final int ROWS_PER_HISTORY_WRITE = 128;

    /**
     * The time-to-live of a history kept apart from a state that lives {@code stateTtl} (zero: for good): {@link
     * #ROWS_PER_HISTORY_WRITE} + 1 times as long, because each of the rows between two writes of the history comes
     * within the state's time-to-live of the last.
     */
    public static java.time.Duration historyTtl(java.time.Duration stateTtl) {
        long factor = ROWS_PER_HISTORY_WRITE + 1L;
        long millis = stateTtl.toMillis();
        return java.time.Duration.ofMillis(millis > Long.MAX_VALUE / factor ? Long.MAX_VALUE : millis * factor);
    }

    private static final float[] NONE = new float[0];
    private final float[] recurrent;
    private long steps;
    private long lastEventTime;
    private float[] features;
    private StateParts parts;
    private long modelVersion;
    private float[] history;
    private boolean historyChanged;
    /** The history was missing where the key's linear part needs one, and zeros stand in until the part restarts. */
    private boolean historyMissing;
    /** The key's linear part went (its model has none): a store that keeps the history apart deletes it. */
    private boolean historyDropped;

    /** A state whose features (if any) were written without their parts (state formats 3 and 4). */
    public KeyState(float[] recurrent, long steps, long lastEventTime, float[] features) {
        this(recurrent, steps, lastEventTime, features, STARTING_MODEL);
    }

    /** The same on model update {@code modelVersion}. */
    public KeyState(float[] recurrent, long steps, long lastEventTime, float[] features, long modelVersion) {
        this(recurrent, steps, lastEventTime, features, features == null || features.length == 0
                ? StateParts.EMPTY : null, modelVersion);
    }

    /**
     * @param parts what {@code features} holds; null: not recorded (the stepper recognises the layout)
     * @throws IllegalArgumentException when the parts describe another number of floats than {@code features}
     */
    public KeyState(float[] recurrent, long steps, long lastEventTime, float[] features, StateParts parts,
            long modelVersion) {
        this.recurrent = recurrent;
        this.steps = steps;
        this.lastEventTime = lastEventTime;
        this.features = features == null ? NONE : features;
        if (parts != null && parts.size() != this.features.length) {
            throw new IllegalArgumentException("a key's features of " + this.features.length
                    + " floats described as " + parts);
        }
        this.parts = parts;
        this.modelVersion = modelVersion;
    }

    /** A key seen for the first time (or whose state expired): zero state, no steps. */
    public static KeyState fresh(int stateSize) {
        return new KeyState(new float[stateSize], 0, NO_EVENT_TIME, NONE);
    }

    public float[] recurrent() {
        return recurrent;
    }

    public long steps() {
        return steps;
    }

    public long lastEventTime() {
        return lastEventTime;
    }

    /** The stepper's per-key features (see {@link KeyLayout}); empty before the key's first step. */
    public float[] features() {
        return features;
    }

    /** What {@link #features()} holds; null when the state format it was read from did not say. */
    public StateParts parts() {
        return parts;
    }

    /** The version of the model update this key steps with, or {@link #STARTING_MODEL}. */
    public long modelVersion() {
        return modelVersion;
    }

    /** Records that the key now steps with the update of this version. */
    public void onModelVersion(long version) {
        modelVersion = version;
    }

    /** The key's history, or null when it has none or its store has not loaded it. */
    public float[] history() {
        return history;
    }

    /** Whether the stepper changed {@link #history()} since it was set: a store that keeps it apart writes it then. */
    public boolean historyChanged() {
        return historyChanged;
    }

    /** Sets the key's history as its store holds it (null: none), unchanged so far (and not dropped). */
    public void history(float[] history) {
        this.history = history;
        this.historyChanged = false;
        this.historyMissing = false;
        this.historyDropped = false;
    }

    /** Marks the history changed (the stepper wrote into it). */
    void historyWritten() {
        historyChanged = true;
    }

    /**
     * Whether the key's state lost the linear part its history served (a model without one took the key over): a
     * store that keeps the history apart deletes it when it writes this state, then calls {@link #history(float[])}.
     */
    public boolean historyDropped() {
        return historyDropped;
    }

    /** The key's linear part is gone, and its history with it ({@link #historyDropped()}). */
    void dropHistory() {
        history(null);
        historyDropped = true;
    }

    /**
     * Gives the key {@code zeros} for a history that was missing (or of another length): kept with this object, not
     * in any store, so that the stepper restarts the part that read it even when none of the key's rows steps in
     * this batch and the same object comes back in the next.
     */
    void historyMissing(float[] zeros) {
        history(zeros);
        historyMissing = true;
    }

    /** Whether the history stands in for one that was missing ({@link #historyMissing(float[])}). */
    boolean historyMissing() {
        return historyMissing;
    }

    /** The part that needed the history has restarted (or never needed it): the zeros are now its history. */
    void historyFound() {
        historyMissing = false;
    }

    /** Replaces the per-key features with a vector of {@code parts}. */
    void features(float[] features, StateParts parts) {
        this.features = features;
        this.parts = parts;
    }

    /** Records one step taken at {@code eventTime}; the new recurrent values were written in place. */
    void stepped(long eventTime) {
        steps++;
        lastEventTime = eventTime;
    }

    public KeyState copy() {
        KeyState c = new KeyState(recurrent.clone(), steps, lastEventTime, features.clone(), parts, modelVersion);
        c.history = history == null ? null : history.clone();
        c.historyChanged = historyChanged;
        c.historyMissing = historyMissing;
        c.historyDropped = historyDropped;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KeyState)) {
            return false;
        }
        KeyState s = (KeyState) o;
        return steps == s.steps && lastEventTime == s.lastEventTime && modelVersion == s.modelVersion
                && Objects.equals(parts, s.parts) && Arrays.equals(recurrent, s.recurrent)
                && Arrays.equals(features, s.features) && Arrays.equals(history, s.history);
    }

    /** Cheap (no array is hashed): Flink's SQL runtime hashes a function's state after every row. */
    @Override
    public int hashCode() {
        return Long.hashCode(steps) * 31 + Long.hashCode(lastEventTime);
    }

    @Override
    public String toString() {
        return "KeyState[steps=" + steps + ", lastEventTime=" + lastEventTime + ", state=" + recurrent.length
                + " floats, features=" + features.length + " floats"
                + (history == null ? "" : ", history=" + history.length + " floats")
                + (modelVersion == STARTING_MODEL ? "" : ", model version " + modelVersion) + "]";
    }
}
