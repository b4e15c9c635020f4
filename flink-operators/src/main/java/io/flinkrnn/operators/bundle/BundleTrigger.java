package io.flinkrnn.operators.bundle;

import java.io.Serializable;

/**
 * When a bundle is stepped, besides watermarks, checkpoint barriers and end of input (which the operator
 * handles itself): when it holds {@code maxSize} records, or when its oldest record has waited {@code
 * maxLatencyMillis} (0: never on time alone). The when, kept apart from the what ({@code BundleFlush}).
 */
public final class BundleTrigger implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int maxSize;
    private final long maxLatencyMillis;

    public BundleTrigger(int maxSize, long maxLatencyMillis) {
        if (maxSize < 1 || maxLatencyMillis < 0) {
            throw new IllegalArgumentException("bundle trigger needs a size >= 1 and a latency >= 0, got "
                    + maxSize + " and " + maxLatencyMillis);
        }
        this.maxSize = maxSize;
        this.maxLatencyMillis = maxLatencyMillis;
    }

    public int maxSize() {
        return maxSize;
    }

    /** Whether a bundle of {@code size} records is due now. */
    public boolean full(int size) {
        return size >= maxSize;
    }

    /** Whether the first record of a bundle should start a latency timer. */
    public boolean timed() {
        return maxLatencyMillis > 0;
    }

    /** When a bundle whose oldest record arrived at {@code firstArrivalMillis} is due on time. */
    public long dueAt(long firstArrivalMillis) {
        return firstArrivalMillis + maxLatencyMillis;
    }
}
