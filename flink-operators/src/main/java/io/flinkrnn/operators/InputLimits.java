package io.flinkrnn.operators;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one input record may be, so that no record can exhaust memory or poison its key: the most bytes a
 * Kafka record may have (checked before decoding), the longest key, the most values, and how far an event
 * time may run ahead of the record's reference clock. Each excess is a dead letter with a reason of its own
 * ({@code RECORD_TOO_LARGE}, {@code BAD_KEY}, {@code TOO_MANY_VALUES}, {@code EVENT_TIME_AHEAD}).
 *
 * <p>The reference clock of the event-time bound is the record's own timestamp as the Kafka source sets it
 * (the producer's send time, or the broker's append time on topics with {@code
 * message.timestamp.type=LogAppendTime}), and the processing-time clock for records without one. Kafka's
 * timestamp is stored with the record, so a replay after a failover decides exactly as the first run did.
 * Without the bound, one record stamped a day ahead would be stepped, and every honest record of its key
 * after it would be TIME_WENT_BACKWARDS for that day; with it, at most {@code maxEventTimeAhead} of a key's
 * honest records can be turned away by a record that still passes. Immutable; {@code with...} returns a copy.
 */
public final class InputLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;
    private final int maxKeyBytes;
    private final int maxValues;
    private final Duration maxEventTimeAhead;

    private InputLimits(int maxRecordBytes, int maxKeyBytes, int maxValues, Duration maxEventTimeAhead) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxKeyBytes = maxKeyBytes;
        this.maxValues = maxValues;
        this.maxEventTimeAhead = maxEventTimeAhead;
    }

    /** 1 MiB records, 1 KiB keys, 1,024 values, event times at most 15 minutes ahead. */
    public static InputLimits defaults() {
        return new InputLimits(1 << 20, 1024, 1024, Duration.ofMinutes(15));
    }

    /** The most bytes of a Kafka record's value (and of its key); larger ones are not decoded. */
    public InputLimits withMaxRecordBytes(int bytes) {
        return new InputLimits(bytes, maxKeyBytes, maxValues, maxEventTimeAhead);
    }

    /** The longest series key, in UTF-8 bytes. */
    public InputLimits withMaxKeyBytes(int bytes) {
        return new InputLimits(maxRecordBytes, bytes, maxValues, maxEventTimeAhead);
    }

    /** The most values a record may carry (decoding stops past it). */
    public InputLimits withMaxValues(int values) {
        return new InputLimits(maxRecordBytes, maxKeyBytes, values, maxEventTimeAhead);
    }

    /** How far an event time may be ahead of the record's reference clock; null = no bound. */
    public InputLimits withMaxEventTimeAhead(Duration ahead) {
        return new InputLimits(maxRecordBytes, maxKeyBytes, maxValues, ahead);
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public int maxKeyBytes() {
        return maxKeyBytes;
    }

    public int maxValues() {
        return maxValues;
    }

    /** Null when event times have no bound. */
    public Duration maxEventTimeAhead() {
        return maxEventTimeAhead;
    }

    /** Every problem with these limits, for a builder's message; empty when they are usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (maxRecordBytes < 64) {
            p.add("max record bytes must be at least 64, got " + maxRecordBytes);
        }
        if (maxKeyBytes < 1) {
            p.add("max key bytes must be positive, got " + maxKeyBytes);
        }
        if (maxValues < 1) {
            p.add("max values must be positive, got " + maxValues);
        }
        if (maxEventTimeAhead != null && maxEventTimeAhead.isNegative()) {
            p.add("max event-time ahead must not be negative, got " + maxEventTimeAhead);
        }
        return p;
    }

    @Override
    public String toString() {
        return "limits: record " + maxRecordBytes + " B, key " + maxKeyBytes + " B, " + maxValues + " values,"
                + " event time ahead " + (maxEventTimeAhead == null ? "unbounded" : maxEventTimeAhead);
    }
}
