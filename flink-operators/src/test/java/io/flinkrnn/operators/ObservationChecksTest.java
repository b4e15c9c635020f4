package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each stateless rejection, including a null key, which Avro's own encoding cannot carry. */
class ObservationChecksTest {
    static Observation good() {
        Observation o = new Observation();
        o.setKey("k");
        o.setEventTime(Instant.ofEpochMilli(1_000));
        o.setValues(Arrays.asList(1f, 2f));
        return o;
    }

    static DeadLetterReason reason(Observation o) {
        ObservationChecks.Rejection r = ObservationChecks.check(o, 2);
        return r == null ? null : r.reason;
    }

    @Test
    void goodRecordPasses() {
        assertNull(ObservationChecks.check(good(), 2));
    }

    @Test
    void eachProblemHasItsReason() {
        Observation o = good();
        o.setKey(null);
        assertEquals(DeadLetterReason.MISSING_KEY, reason(o));
        o = good();
        o.setKey("  ");
        assertEquals(DeadLetterReason.MISSING_KEY, reason(o));
        o = good();
        o.setEventTime(Instant.parse("+12000-01-01T00:00:00Z"));
        assertEquals(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, reason(o));
        o = good();
        o.setValues(null);
        assertEquals(DeadLetterReason.WRONG_VALUE_COUNT, reason(o));
        o = good();
        o.setValues(Arrays.asList(1f, 2f, 3f));
        ObservationChecks.Rejection r = ObservationChecks.check(o, 2);
        assertEquals(DeadLetterReason.WRONG_VALUE_COUNT, r.reason);
        assertTrue(r.message.contains("expected 2 values, got 3"), r.message);
        o = good();
        o.setValues(Arrays.asList(1f, null));
        assertEquals(DeadLetterReason.NON_FINITE_VALUE, reason(o));
        o = good();
        o.setValues(Arrays.asList(Float.NEGATIVE_INFINITY, 2f));
        assertEquals(DeadLetterReason.NON_FINITE_VALUE, reason(o));
        assertEquals(DeadLetterReason.OTHER, reason(null));
    }
}
