package io.flinkrnn.operators.state;

import java.util.Arrays;

/**
 * What the operator keeps per key in Flink keyed state: the recurrent state of every layer in the kernels'
 * layout ({@code RnnModel.stateSize()} floats: all h, then all c for LSTM), how many steps the key has taken,
 * and the event time of its last step. Mutable and reused during a flush; serialized by {@link
 * RnnKeyStateSerializer}.
 */
public final class RnnKeyState {
    /** No step taken yet. */
    public static final long NO_EVENT_TIME = Long.MIN_VALUE;

    private final float[] recurrent;
    private long steps;
    private long lastEventTime;

    public RnnKeyState(float[] recurrent, long steps, long lastEventTime) {
        this.recurrent = recurrent;
        this.steps = steps;
        this.lastEventTime = lastEventTime;
    }

    /** A key seen for the first time (or whose state expired): zero state, no steps. */
    public static RnnKeyState fresh(int stateSize) {
        return new RnnKeyState(new float[stateSize], 0, NO_EVENT_TIME);
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

    /** Records one step taken at {@code eventTime}; the new recurrent values were written in place. */
    public void stepped(long eventTime) {
        steps++;
        lastEventTime = eventTime;
    }

    public RnnKeyState copy() {
        return new RnnKeyState(recurrent.clone(), steps, lastEventTime);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RnnKeyState)) {
            return false;
        }
        RnnKeyState s = (RnnKeyState) o;
        return steps == s.steps && lastEventTime == s.lastEventTime && Arrays.equals(recurrent, s.recurrent);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(recurrent) * 31 + Long.hashCode(steps);
    }

    @Override
    public String toString() {
        return "RnnKeyState[steps=" + steps + ", lastEventTime=" + lastEventTime + ", state=" + recurrent.length
                + " floats]";
    }
}
