package io.flinkrnn.operators.state;

import java.util.Arrays;

/**
 * What the operator keeps per key in Flink keyed state: the recurrent state of every layer in the kernels'
 * layout ({@code RnnModel.stateSize()} floats: all h, then all c for LSTM), how many steps the key has taken,
 * the event time of its last step, and, when anomaly scoring is on, the key's last one-step forecast of each
 * target and its running error scale. Mutable and reused during a flush; serialized by {@link
 * RnnKeyStateSerializer}.
 */
public final class RnnKeyState {
    /** No step taken yet. */
    public static final long NO_EVENT_TIME = Long.MIN_VALUE;

    private static final float[] NONE = new float[0];
    private final float[] recurrent;
    private long steps;
    private long lastEventTime;
    private float[] lastForecast;
    private float[] errorScale;
    private long scoredErrors;

    public RnnKeyState(float[] recurrent, long steps, long lastEventTime) {
        this(recurrent, steps, lastEventTime, NONE, NONE, 0);
    }

    /**
     * @param lastForecast the one-step forecast of each target made at the last step (empty: none yet)
     * @param errorScale each target's running mean absolute one-step error (same length)
     * @param scoredErrors how many errors went into {@code errorScale}
     */
    public RnnKeyState(float[] recurrent, long steps, long lastEventTime, float[] lastForecast, float[] errorScale,
            long scoredErrors) {
        if (lastForecast.length != errorScale.length) {
            throw new IllegalArgumentException("last forecast and error scale differ in length: "
                    + lastForecast.length + " vs " + errorScale.length);
        }
        this.recurrent = recurrent;
        this.steps = steps;
        this.lastEventTime = lastEventTime;
        this.lastForecast = lastForecast;
        this.errorScale = errorScale;
        this.scoredErrors = scoredErrors;
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

    /** The last one-step forecast per target; empty before the first scored step. */
    public float[] lastForecast() {
        return lastForecast;
    }

    /** Running mean absolute one-step error per target (same length as {@link #lastForecast()}). */
    public float[] errorScale() {
        return errorScale;
    }

    public long scoredErrors() {
        return scoredErrors;
    }

    /** Sizes the anomaly fields for {@code targets} targets (the first time scoring sees this key). */
    public void startScoring(int targets) {
        if (lastForecast.length != targets) {
            lastForecast = new float[targets];
            errorScale = new float[targets];
            scoredErrors = 0;
        }
    }

    /** Counts one more error folded into {@link #errorScale()}. */
    public void errorScored() {
        scoredErrors++;
    }

    /** Records one step taken at {@code eventTime}; the new recurrent values were written in place. */
    public void stepped(long eventTime) {
        steps++;
        lastEventTime = eventTime;
    }

    public RnnKeyState copy() {
        return new RnnKeyState(recurrent.clone(), steps, lastEventTime, lastForecast.clone(), errorScale.clone(),
                scoredErrors);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RnnKeyState)) {
            return false;
        }
        RnnKeyState s = (RnnKeyState) o;
        return steps == s.steps && lastEventTime == s.lastEventTime && Arrays.equals(recurrent, s.recurrent)
                && Arrays.equals(lastForecast, s.lastForecast) && Arrays.equals(errorScale, s.errorScale)
                && scoredErrors == s.scoredErrors;
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
