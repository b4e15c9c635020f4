package io.flinkrnn.stepper.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkrnn.schemas.ModelArtifact;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardError;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.TimeFeatures;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules written into an artifact record come back equal, in the oldest format that holds them. */
class ArtifactRulesTest {
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(ForecastRules.plain(), 2),
                Arguments.of(ForecastRules.plain().withScaling(Scaling.PER_KEY, 77).withInputDifferences(true)
                        .withTimeFeatures(TimeFeatures.YEAR).withGuard(GuardRules.on()), 2),
                Arguments.of(ForecastRules.defaults(1).withGuard(GuardRules.defaults(1).withEvidence(0f).withLinear(0)), 4),
                Arguments.of(ForecastRules.defaults(1).withGuard(GuardRules.defaults(1).withLinear(0)), 5),
                Arguments.of(ForecastRules.defaults(6).withTimeFeatures(TimeFeatures.DAY_WEEK)
                        .withGuard(GuardRules.defaults(6).withLinear(0)), 5),
                Arguments.of(ForecastRules.defaults(6).withGuard(GuardRules.on().withLevel(30)), 5),
                Arguments.of(ForecastRules.defaults(1), 6),
                Arguments.of(ForecastRules.defaults(6).withGuard(GuardRules.on().withLinear(500)), 6),
                Arguments.of(ForecastRules.defaults(1).withGuard(GuardRules.on().withError(GuardError.SQUARED)), 7),
                Arguments.of(ForecastRules.defaults(6).withGuard(GuardRules.defaults(6).withError(GuardError.SQUARED)),
                        7));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void rulesRoundTripInTheOldestFormatThatHoldsThem(ForecastRules rules, int format) {
        assertEquals(format, ArtifactRules.formatVersion(rules));
        ModelArtifact a = ModelArtifacts.toRecord(ModelArtifactsTest.forecastModel(), Map.of());
        ModelArtifact.Builder b = ModelArtifact.newBuilder(a);
        ArtifactRules.write(rules, b);
        b.setFormatVersion(format);
        assertEquals(rules, ArtifactRules.read(b.build()));
    }
}
