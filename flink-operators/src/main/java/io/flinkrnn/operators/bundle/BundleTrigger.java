package io.flinkrnn.operators.bundle;

import java.io.Serializable;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * When a bundle is stepped, besides watermarks, checkpoint barriers and end of input (the operator's own flush
 * points): as soon as it holds {@code maxSize} records, or once its oldest record has waited {@code
 * maxLatencyMillis} (0: never on time alone). As in Flink's mini-batch operators, the trigger calls back into the
 * operator when a bundle is due and owns the latency timer, so the operator neither counts nor schedules.
 */
public final class BundleTrigger implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the trigger calls when the bundle is due. */
    public interface Callback {
        void finishBundle(FlushCause cause) throws Exception;
    }

    private final int maxSize;
    private final long maxLatencyMillis;
    private transient Callback callback;
    private transient ProcessingTimeService timers;
    private transient int count;
    private transient long firstArrival;
    private transient boolean timerPending;

    public BundleTrigger(int maxSize, long maxLatencyMillis) {
        if (maxSize < 1 || maxLatencyMillis < 0) {
            throw new IllegalArgumentException("bundle trigger needs a size >= 1 and a latency >= 0, got "
                    + maxSize + " and " + maxLatencyMillis);
        }
        this.maxSize = maxSize;
        this.maxLatencyMillis = maxLatencyMillis;
    }

    /** Starts the trigger on an operator: {@code callback} hears when a bundle is due, timed by {@code timers}. */
    public void open(Callback callback, ProcessingTimeService timers) {
        this.callback = callback;
        this.timers = timers;
        this.count = 0;
        this.timerPending = false;
    }

    public int maxSize() {
        return maxSize;
    }

    /** One more record entered the bundle: finishes it when full, or starts the latency timer on its first. */
    public void onElement() throws Exception {
        count++;
        if (count >= maxSize) {
            callback.finishBundle(FlushCause.SIZE);
        } else if (count == 1 && maxLatencyMillis > 0) {
            firstArrival = timers.getCurrentProcessingTime();
            if (!timerPending) {
                register(firstArrival + maxLatencyMillis);
            }
        }
    }

    /** The bundle was stepped, whatever the cause: the next record starts a new one. */
    public void reset() {
        count = 0;
    }

    private void register(long at) {
        timerPending = true;
        timers.registerTimer(at, this::onTimer);
    }

    /** A timer left from an earlier bundle waits on for the current one's due time instead of flushing early. */
    private void onTimer(long time) throws Exception {
        timerPending = false;
        if (count == 0) {
            return;
        }
        long due = firstArrival + maxLatencyMillis;
        if (time >= due) {
            callback.finishBundle(FlushCause.LATENCY);
        } else {
            register(due);
        }
    }
}
