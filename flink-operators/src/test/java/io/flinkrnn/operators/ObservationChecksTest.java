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
    static final long NOW = 1_000;

    static Observation good() {
        Observation o = new Observation();
        o.setKey("k");
        o.setEventTime(Instant.ofEpochMilli(1_000));
        o.setValues(Arrays.asList(1f, 2f));
        return o;
    }

    static DeadLetterReason reason(Observation o) {
        ObservationChecks.Rejection r = ObservationChecks.check(o, 2, InputLimits.defaults(), NOW);
        return r == null ? null : r.reason;
    }

    @Test
    void goodRecordPasses() {
        assertNull(ObservationChecks.check(good(), 2, InputLimits.defaults(), NOW));
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
        ObservationChecks.Rejection r = ObservationChecks.check(o, 2, InputLimits.defaults(), NOW);
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

    @Test
    void limitsHaveReasonsOfTheirOwn() {
        Observation o = good();
        o.setKey("k".repeat(1025));
        assertEquals(DeadLetterReason.BAD_KEY, reason(o));
        o.setKey("\u00e9".repeat(513));
        ObservationChecks.Rejection r = ObservationChecks.check(o, 2, InputLimits.defaults(), NOW);
        assertEquals(DeadLetterReason.BAD_KEY, r.reason);
        assertTrue(r.message.contains("1026 UTF-8 bytes"), r.message);
        o.setKey("\u00e9".repeat(512));
        assertNull(reason(o), "1,024 bytes exactly");
        o.setKey("line\nfeed");
        assertEquals(DeadLetterReason.BAD_KEY, reason(o));
        o.setKey("bad\uFFFDutf8");
        assertEquals(DeadLetterReason.BAD_KEY, reason(o));
        o = good();
        Float[] many = new Float[1025];
        Arrays.fill(many, 1f);
        o.setValues(Arrays.asList(many));
        assertEquals(DeadLetterReason.TOO_MANY_VALUES, reason(o));
    }

    @Test
    void anEventTimeTooFarAheadOfTheRecordsClockIsRejected() {
        Observation o = good();
        long fifteen = java.time.Duration.ofMinutes(15).toMillis();
        o.setEventTime(Instant.ofEpochMilli(NOW + fifteen));
        assertNull(reason(o), "exactly the bound is allowed");
        o.setEventTime(Instant.ofEpochMilli(NOW + fifteen + 1));
        ObservationChecks.Rejection r = ObservationChecks.check(o, 2, InputLimits.defaults(), NOW);
        assertEquals(DeadLetterReason.EVENT_TIME_AHEAD, r.reason);
        assertTrue(r.message.contains("ahead of the record's time"), r.message);
        o.setEventTime(Instant.parse("9999-12-31T00:00:00Z"));
        assertEquals(DeadLetterReason.EVENT_TIME_AHEAD, reason(o));
        assertNull(ObservationChecks.check(o, 2, InputLimits.defaults().withMaxEventTimeAhead(null), NOW),
                "no bound");
        o.setEventTime(Instant.ofEpochMilli(0));
        assertNull(reason(o), "the past is never ahead");
    }
}
