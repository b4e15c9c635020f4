package io.flinkrnn.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.cli.data.MachineSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine's verdict, point-wise against the labelled fault, from forecasts as the job writes them. */
class MachineTrackerTest {
    /** 100 rows of 2 sensors, the fault on rows 40-59. */
    static MachineSeries machine(String name, List<String> sensors) {
        int n = 100;
        long[] t = new long[n];
        float[] v = new float[n * sensors.size()];
        boolean[] fault = new boolean[n];
        for (int r = 0; r < n; r++) {
            t[r] = r * 3_600_000L;
            for (int s = 0; s < sensors.size(); s++) {
                v[r * sensors.size() + s] = r + 10 * s;
            }
            fault[r] = r >= 40 && r < 60;
        }
        return new MachineSeries(name, sensors, t, v, fault, sensors.get(0), "a fault on rows 40-59");
    }

    /** Feeds every row: anomalous on [from, to], the cause {@code cause} but {@code other} on every fourth row. */
    static MachineTracker fed(MachineSeries m, int from, int to, String cause, String other) {
        MachineTracker t = new MachineTracker(m);
        for (int r = 0; r < m.rows(); r++) {
            boolean a = r >= from && r <= to;
            t.accept(m.name, m.times[r], List.of(r + 1f, r + 11f, r + 2f, r + 12f), a, a ? r % 4 == 0 ? other : cause
                    : null);
        }
        return t;
    }

    @Test
    void countsFaultRowsCaughtFalseAlarmsTheHoldTheDelayAndTheCause() {
        MachineSeries m = machine("pump-1", List.of("vibration", "flow"));
        MachineTracker t = fed(m, 45, 75, "vibration", "flow");
        t.accept("pump-1", m.times[10], List.of(0f, 0f), true, "flow"); // a duplicate: ignored
        t.accept("pump-2", m.times[11], List.of(0f, 0f), true, "flow"); // another key: ignored
        MachineTracker.Verdict v = t.verdict();
        assertEquals(100, v.rows());
        assertEquals(31, v.anomalousRows());
        assertEquals(20, v.faultRows());
        assertEquals(15, v.caughtRows(), "rows 45-59");
        assertEquals(16, v.falseAlarmRows(), "rows 60-75");
        assertEquals(16, v.holdRows(), "all of them continue the fault's stretch");
        assertEquals(5, v.firstDelay());
        assertEquals("vibration", v.cause());
        assertEquals(12, v.causeRows(), "15 fault rows caught, 3 of them (48, 52, 56) named flow");
        assertEquals(102, t.total());
        assertEquals("pump-1 anomalous 31 fault 15/20 cause vibration", t.progress());
        assertTrue(v.describe().contains("fault rows caught 15 of 20 (75%), false-alarm rows 16 (16 of them the hold"
                + " after the fault), first detected 5 rows after the fault began; cause named most during the fault:"
                + " vibration (12 of 15 rows) (expected vibration)"), v.describe());
    }

    @Test
    void aStretchBeforeTheFaultIsAFalseAlarmButNotTheHold() {
        MachineSeries m = machine("pump-1", List.of("vibration", "flow"));
        MachineTracker t = fed(m, 10, 14, "flow", "flow");
        MachineTracker.Verdict v = t.verdict();
        assertEquals(0, v.caughtRows());
        assertEquals(5, v.falseAlarmRows());
        assertEquals(0, v.holdRows());
        assertEquals(-1, v.firstDelay());
        assertNull(v.cause());
        assertTrue(v.describe().contains("first detected never"), v.describe());
        List<MachineTracker.Stretch> s = t.stretches();
        assertEquals(List.of(new MachineTracker.Stretch(10, 14, "flow", 5, false)), s);
    }

    @Test
    void eachStretchNamesItsMostFrequentCause() {
        MachineSeries m = machine("pump-1", List.of("vibration", "flow"));
        MachineTracker t = new MachineTracker(m);
        for (int r = 0; r < m.rows(); r++) {
            boolean a = r >= 20 && r < 23 || r >= 42 && r < 70;
            t.accept(m.name, m.times[r], List.of(1f, 2f), a, !a ? null : r < 30 ? "flow" : "vibration");
        }
        List<MachineTracker.Stretch> s = t.stretches();
        assertEquals(2, s.size());
        assertEquals(new MachineTracker.Stretch(20, 22, "flow", 3, false), s.get(0));
        assertEquals(new MachineTracker.Stretch(42, 69, "vibration", 28, true), s.get(1));
        assertEquals(2f, t.nextStep(1)[5], "sensor 1's one-step forecast after row 5");
        assertFalse(t.anomalous()[23]);
    }
}
