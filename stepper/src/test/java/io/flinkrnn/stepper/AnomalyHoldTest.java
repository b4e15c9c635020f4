package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Anomalous from a row at the entry threshold until the rules' rows to clear have stayed under it. */
class AnomalyHoldTest {
    private static final KeyLayout LAYOUT = new KeyLayout(SignalScoresTest.twoTargets(), true);

    private static String hold(AnomalyRules rules, float... joint) {
        AnomalyHold h = new AnomalyHold(LAYOUT, rules);
        float[] st = new float[LAYOUT.size];
        StringBuilder out = new StringBuilder();
        for (float j : joint) {
            out.append(h.anomalous(st, j) ? 'A' : '.');
        }
        return out.toString();
    }

    @Test
    void aKeyStaysAnomalousUntilTheRowsToClearStayUnderTheThreshold() {
        AnomalyRules rules = new AnomalyRules(4, 3);
        // The third row under it is normal again.
        assertEquals("..AAA...", hold(rules, Float.NaN, 3.9f, 4f, 1, 1, 1, 1, 1));
        // A row at the threshold inside the clearing rows starts them again.
        assertEquals(".AAAAAA..", hold(rules, 1, 5, 1, 1, 9, 1, 1, 1, 1));
    }

    @Test
    void rulesOutsideTheirRangeAreRefused() {
        assertEquals("anomaly clear rows must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new AnomalyRules(4, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AnomalyRules(0, 30));
    }
}
