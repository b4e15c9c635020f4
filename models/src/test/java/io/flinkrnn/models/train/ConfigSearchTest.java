package io.flinkrnn.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code train --budget} tries around a configuration: each candidate changes one thing. */
class ConfigSearchTest {
    static TrainingConfig relative(int level, float evidence) {
        return TrainingConfig.builder().horizon(6).rules(ForecastRules.defaults(6)
                .withGuard(GuardRules.defaults(6).withLevel(level).withEvidence(evidence))).build();
    }

    static String change(List<Object[]> candidates, int i) {
        return (String) candidates.get(i)[0];
    }

    @Test
    void theGuardsOptionsAreTriedOffWhenTheGivenConfigurationHasThem() {
        List<Object[]> with = ConfigSearch.candidates(relative(12, 1f));
        assertEquals(6, with.size(), "as given, cell, differences, hidden, direct forecasts, plain guard");
        assertEquals("plain guard", change(with, with.size() - 1));
        TrainingConfig plain = (TrainingConfig) with.get(with.size() - 1)[1];
        Map<String, String> given = relative(12, 1f).describe();
        Map<String, String> changed = plain.describe();
        assertEquals("0", changed.get("guardLevel"));
        assertEquals("0.0", changed.get("guardEvidence"));
        changed.put("guardLevel", "12");
        changed.put("guardEvidence", "1.0");
        assertEquals(given, changed, "only the guard's options differ");
        TrainingConfig direct = (TrainingConfig) with.get(4)[1];
        assertEquals("direct forecasts", change(with, 4));
        assertEquals(GuardRules.off(), direct.rules.guard(), "direct forecasts go without the guard and its options");
        assertTrue(ConfigSearch.candidates(relative(0, 1f)).stream().anyMatch(c -> c[0].equals("plain guard")));
        List<Object[]> without = ConfigSearch.candidates(relative(0, 0f));
        assertTrue(without.stream().noneMatch(c -> c[0].equals("plain guard")), "nothing to turn off");
    }
}
