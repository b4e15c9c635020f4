package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parts' ids and versions: what a restore or a model update trusts to tell one meaning from another. */
class StatePartTest {
    @Test
    void idsAreDistinctAndFoundAgain() {
        Set<Integer> ids = new HashSet<>();
        for (StatePart p : StatePart.values()) {
            assertTrue(ids.add(p.id()), p + " reuses id " + p.id());
            assertEquals(p, StatePart.byId(p.id()));
        }
    }

    @Test
    void thePartsHoldingTheGuardsErrorsHaveAVersionOfTheirOwnForSquares() {
        Set<StatePart> judging = Set.of(StatePart.GUARD, StatePart.GUARD_RECENT, StatePart.GUARD_LEVEL,
                StatePart.GUARD_EVIDENCE, StatePart.LINEAR);
        for (StatePart p : StatePart.values()) {
            assertEquals(p.version(), p.version(GuardError.ABSOLUTE), p + ": absolute is every older model's");
            if (judging.contains(p)) {
                assertNotEquals(p.version(), p.version(GuardError.SQUARED), p + " holds the guard's errors");
            } else {
                assertEquals(p.version(), p.version(GuardError.SQUARED), p + " holds none");
            }
        }
    }
}
