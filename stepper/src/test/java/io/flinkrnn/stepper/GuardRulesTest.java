package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.model.ModelValidationException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The guard's options: off, on alone, train's defaults per horizon, and a message for each bad value. */
class GuardRulesTest {
    @Test
    void offIsTheGuardWithoutAnyOption() {
        GuardRules off = GuardRules.off();
        assertFalse(off.enabled());
        assertEquals(new GuardRules(false, 0, 0, 0f, 0, GuardError.ABSOLUTE), off);
        assertEquals("", off.describe());
        assertEquals(new GuardRules(true, 0, 0, 0f, 0, GuardError.ABSOLUTE), GuardRules.on());
        assertEquals("guard", GuardRules.on().describe());
    }

    @Test
    void oneStepGetsTheRecentWindowAndTheEvidenceTestButNoLevel() {
        assertEquals(new GuardRules(true, 5, 0, 1f, 2000, GuardError.ABSOLUTE), GuardRules.defaults(1));
    }

    @Test
    void twoOrMoreStepsAlsoGetTheLevel() {
        assertEquals(new GuardRules(true, 5, 12, 1f, 2000, GuardError.ABSOLUTE), GuardRules.defaults(2));
        assertEquals(GuardRules.defaults(2), GuardRules.defaults(24));
    }

    @Test
    void theDescriptionNamesEveryOptionInUse() {
        assertEquals("guard(recent 5)(level 12)(evidence 1.0)(linear 2000)", GuardRules.defaults(3).describe());
        assertEquals("guard(evidence 2.5)", GuardRules.on().withEvidence(2.5f).describe());
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.on().withRecent(1),
                        "the guard's recent window must be 0 (none) or at least 2 forecasts, got 1"),
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.on().withRecent(-2),
                        "the guard's recent window must be 0 (none) or at least 2 forecasts, got -2"),
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.on().withLevel(1),
                        "the guard's level span must be 0 (none) or at least 2 rows, got 1"),
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.on().withEvidence(-1f),
                        "the guard's evidence must be a finite number of standard errors >= 0, got -1.0"),
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.on().withEvidence(Float.NaN),
                        "the guard's evidence must be a finite number of standard errors >= 0, got NaN"),
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.on().withEvidence(Float.POSITIVE_INFINITY),
                        "the guard's evidence must be a finite number of standard errors >= 0, got Infinity"),
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.off().withRecent(5),
                        "a recent window for the guard (5 forecasts) needs the guard on"),
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.off().withLevel(12),
                        "a level for the guard (span 12 rows) needs the guard on"),
                Arguments.of((Supplier<GuardRules>) () -> GuardRules.off().withEvidence(1f),
                        "an evidence test for the guard (1.0 standard errors) needs the guard on"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void aBadOptionFailsNamingItAndItsValue(Supplier<GuardRules> bad, String message) {
        assertEquals(message, assertThrows(ModelValidationException.class, bad::get).getMessage());
    }

    @Test
    void aLevelNeedsASecondStep() {
        assertEquals(Optional.of("the guard's level (span 12 rows) forecasts steps 2 and on, but the model forecasts"
                + " one step"), GuardRules.defaults(2).stepsProblem(1));
        assertTrue(GuardRules.defaults(2).stepsProblem(2).isEmpty());
        assertTrue(GuardRules.defaults(1).stepsProblem(1).isEmpty(), "no level, no problem");
    }
}
