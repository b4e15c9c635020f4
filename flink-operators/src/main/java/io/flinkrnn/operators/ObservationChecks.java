package io.flinkrnn.operators;

import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import java.time.Instant;
import java.util.List;

/**
 * The checks an observation must pass before it can be stepped, that need no state: shared by {@link
 * ObservationValidator} (before watermarks, in event-time mode) and the operator (as each record arrives).
 */
public final class ObservationChecks {
    /** Event times outside [1970-01-01, 9999-12-31] are treated as corrupt. */
    static final long MIN_EVENT_TIME = 0L;
    static final long MAX_EVENT_TIME = 253402300799999L;

    private ObservationChecks() {
    }

    /**
     * Why the record cannot be used, or null when it can.
     *
     * @param referenceMillis the record's reference clock for {@link InputLimits#maxEventTimeAhead()}: its
     *     Kafka timestamp, or the processing time for a record without one
     */
    public static Rejection check(Observation o, int inputSize, InputLimits limits, long referenceMillis) {
        if (o == null) {
            return new Rejection(DeadLetterReason.OTHER, "null record");
        }
        String key = o.getKey();
        if (key == null || key.isBlank()) {
            return new Rejection(DeadLetterReason.MISSING_KEY, key == null ? "key is null" : "key is empty");
        }
        String badKey = keyProblem(key, limits.maxKeyBytes());
        if (badKey != null) {
            return new Rejection(DeadLetterReason.BAD_KEY, badKey);
        }
        Instant t = o.getEventTime();
        if (t == null) {
            return new Rejection(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, "event time is null");
        }
        long ms = t.toEpochMilli();
        if (ms < MIN_EVENT_TIME || ms > MAX_EVENT_TIME) {
            return new Rejection(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                    "event time " + t + " is outside 1970-01-01..9999-12-31");
        }
        java.time.Duration ahead = limits.maxEventTimeAhead();
        if (ahead != null && ms - referenceMillis > ahead.toMillis()) {
            return new Rejection(DeadLetterReason.EVENT_TIME_AHEAD, "event time " + t + " is "
                    + java.time.Duration.ofMillis(ms - referenceMillis) + " ahead of the record's time "
                    + Instant.ofEpochMilli(referenceMillis) + " (at most " + ahead + "): a clock off?");
        }
        List<Float> v = o.getValues();
        if (v != null && v.size() > limits.maxValues()) {
            return new Rejection(DeadLetterReason.TOO_MANY_VALUES, v.size() + " values, at most "
                    + limits.maxValues());
        }
        if (v == null || v.size() != inputSize) {
            return new Rejection(DeadLetterReason.WRONG_VALUE_COUNT, "expected " + inputSize + " values, got "
                    + (v == null ? "none" : String.valueOf(v.size())));
        }
        for (int i = 0; i < inputSize; i++) {
            Float x = v.get(i);
            if (x == null || !Float.isFinite(x)) {
                return new Rejection(DeadLetterReason.NON_FINITE_VALUE, "value " + i + " is " + x);
            }
        }
        return null;
    }

    /**
     * Why a key cannot name a series, or null: longer than {@code maxBytes} in UTF-8, a control character, or
     * U+FFFD (what a decoder leaves of bytes that were not UTF-8).
     */
    static String keyProblem(String key, int maxBytes) {
        int n = key.length();
        if (n > maxBytes) {
            return "key of " + n + " characters, at most " + maxBytes + " bytes";
        }
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return "key holds control character U+" + String.format("%04X", (int) c) + " at " + i;
            }
            if (c == '\uFFFD') {
                return "key holds U+FFFD at " + i + " (bytes that were not UTF-8)";
            }
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        if (bytes > maxBytes) {
            return "key of " + bytes + " UTF-8 bytes, at most " + maxBytes;
        }
        return null;
    }

    /** A reason code and a message for a dead letter. */
    public static final class Rejection {
        public final DeadLetterReason reason;
        public final String message;

        Rejection(DeadLetterReason reason, String message) {
            this.reason = reason;
            this.message = message;
        }
    }
}
