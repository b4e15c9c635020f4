package io.flinkrnn.operators.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.Test;

/** When the trigger calls the operator back: a full bundle at once, an old one on its latency timer. */
class BundleTriggerTest {
    final List<FlushCause> flushed = new ArrayList<>();
    final TestProcessingTimeService time = new TestProcessingTimeService();

    BundleTrigger open(int size, long latency) {
        BundleTrigger t = new BundleTrigger(size, latency);
        t.open(cause -> {
            flushed.add(cause);
            t.reset();
        }, time);
        return t;
    }

    @Test
    void aFullBundleIsFinishedAtItsLastRecord() throws Exception {
        BundleTrigger t = open(3, 0);
        t.onElement();
        t.onElement();
        assertEquals(List.of(), flushed);
        t.onElement();
        assertEquals(List.of(FlushCause.SIZE), flushed);
        assertEquals(0, time.getNumActiveTimers(), "no latency: no timer");
    }

    @Test
    void theOldestRecordWaitsAtMostTheLatency() throws Exception {
        BundleTrigger t = open(100, 50);
        time.setCurrentTime(1000);
        t.onElement();
        time.setCurrentTime(1049);
        t.onElement();
        assertEquals(List.of(), flushed);
        time.setCurrentTime(1050);
        assertEquals(List.of(FlushCause.LATENCY), flushed);
    }

    @Test
    void aTimerLeftFromAnEarlierBundleWaitsForTheCurrentOnesDueTime() throws Exception {
        BundleTrigger t = open(2, 50);
        time.setCurrentTime(1000);
        t.onElement();
        t.onElement(); // full: finished at once, its timer (due 1050) stays registered
        time.setCurrentTime(1040);
        t.onElement(); // the next bundle's first record, due 1090
        time.setCurrentTime(1050);
        assertEquals(List.of(FlushCause.SIZE), flushed, "the old timer does not finish the new bundle early");
        time.setCurrentTime(1090);
        assertEquals(List.of(FlushCause.SIZE, FlushCause.LATENCY), flushed);
    }

    @Test
    void aSizeBelowOneOrANegativeLatencyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BundleTrigger(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new BundleTrigger(1, -1));
    }
}
