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

    /** Why the record cannot be used, or null when it can. */
    public static Rejection check(Observation o, int inputSize) {
        if (o == null) {
            return new Rejection(DeadLetterReason.OTHER, "null record");
        }
        String key = o.getKey();
        if (key == null || key.isBlank()) {
            return new Rejection(DeadLetterReason.MISSING_KEY, key == null ? "key is null" : "key is empty");
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
        List<Float> v = o.getValues();
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
