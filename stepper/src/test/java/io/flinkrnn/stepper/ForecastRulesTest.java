package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.model.ModelValidationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-key rules as one value: train's defaults per horizon, the plain rules, checks, descriptions. */
class ForecastRulesTest {
    @Test
    void plainRulesFeedTheNetworkAsItIs() {
        ForecastRules p = ForecastRules.plain();
        assertEquals(new ForecastRules(Scaling.GLOBAL, 500, false, false, TimeFeatures.NONE, GuardRules.off()), p);
        assertEquals("scaling=global", p.describe());
    }

    @Test
    void oneStepDefaultsArePerKeyRelativeAndTheGuardWithoutALevel() {
        assertEquals(new ForecastRules(Scaling.PER_KEY, 500, true, false, TimeFeatures.NONE,
                new GuardRules(true, 5, 0, 1f, 2000, GuardError.ABSOLUTE)), ForecastRules.defaults(1));
    }

    @Test
    void twoOrMoreStepDefaultsAddTheGuardsLevel() {
        assertEquals(new ForecastRules(Scaling.PER_KEY, 500, true, false, TimeFeatures.NONE,
                new GuardRules(true, 5, 12, 1f, 2000, GuardError.ABSOLUTE)), ForecastRules.defaults(2));
    }

    @Test
    void aPerKeySpanUnderTwoRowsIsRefusedNamingTheValue() {
        String m = assertThrows(ModelValidationException.class,
                () -> ForecastRules.plain().withScaling(Scaling.PER_KEY, 1)).getMessage();
        assertEquals("per-key scaling needs a span of at least 2 rows, got 1", m);
        assertEquals(1, ForecastRules.plain().withScaling(Scaling.GLOBAL, 1).scalingSpan(), "unused without per-key");
    }

    @Test
    void everyPartMustBeSet() {
        for (Runnable r : List.<Runnable>of(() -> ForecastRules.plain().withScaling(null, 500),
                () -> ForecastRules.plain().withTimeFeatures(null), () -> ForecastRules.plain().withGuard(null))) {
            String m = assertThrows(ModelValidationException.class, r::run).getMessage();
            assertTrue(m.startsWith("scaling, time features and the guard must be set"), m);
        }
    }

    @Test
    void aLevelNeedsAModelOfTwoOrMoreSteps() {
        assertTrue(ForecastRules.defaults(1).stepsProblem(1).isEmpty());
        assertTrue(ForecastRules.defaults(2).stepsProblem(1).orElseThrow().contains("forecasts one step"));
    }

    @Test
    void perKeyRulesNeedTheTargetsAmongTheFeaturesAndSaySoForTheFirstRuleInUse() {
        List<String> f = List.of("a", "b");
        assertEquals(Optional.empty(), ForecastRules.defaults(2).targetsProblem(f, List.of("b")));
        assertEquals(Optional.empty(), ForecastRules.plain().targetsProblem(f, List.of("y")));
        assertEquals(Optional.of("per-key scaling need every target to be a feature (observations must carry its"
                + " actual value), but targets [y] are not all among features [a, b]"),
                ForecastRules.defaults(2).targetsProblem(f, List.of("y")));
        assertTrue(ForecastRules.plain().withRelativeToLast(true).targetsProblem(f, List.of("y")).orElseThrow()
                .startsWith("forecasts relative to the last value need"));
        assertTrue(ForecastRules.plain().withGuard(GuardRules.on()).targetsProblem(f, List.of("y")).orElseThrow()
                .startsWith("the guard need"));
    }

    @Test
    void theDescriptionListsEveryRuleInUse() {
        assertEquals("scaling=per_key(span 500) relative-to-last guard(recent 5)(level 12)(evidence 1.0)(linear 2000)",
                ForecastRules.defaults(6).describe());
        assertEquals("scaling=per_key(span 40) differences time=day_week guard",
                ForecastRules.plain().withScaling(Scaling.PER_KEY, 40).withInputDifferences(true)
                        .withTimeFeatures(TimeFeatures.DAY_WEEK).withGuard(GuardRules.on()).describe());
    }

    @Test
    void byNameGivesTheProvenanceEntriesTrainingHasAlwaysWritten() {
        assertEquals(Map.of("scaling", "per_key/500", "relativeToLast", "true", "inputDifferences", "false",
                "timeFeatures", "day", "guard", "true", "guardRecent", "5", "guardLevel", "12", "guardEvidence", "1.0", "guardLinear", "2000",
                "guardError", "absolute"),
                ForecastRules.defaults(3).withTimeFeatures(TimeFeatures.DAY).byName());
        assertEquals("global", ForecastRules.plain().byName().get("scaling"), "no span without per-key scaling");
    }

    @Test
    void networkInputsCountFeaturesTheirDifferencesAndTimeFeatures() {
        ForecastRules r = ForecastRules.plain().withInputDifferences(true).withTimeFeatures(TimeFeatures.DAY_WEEK);
        assertEquals(3 * 2 + 4, r.networkInputs(3));
        assertEquals(3, r.measuredFeatures(10));
    }

    @Test
    void theRulesTravelWithAJobGraphThroughJavaSerialization() throws Exception {
        ForecastRules r = ForecastRules.defaults(4).withTimeFeatures(TimeFeatures.WEEK_YEAR);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(r, in.readObject());
        }
    }
}
