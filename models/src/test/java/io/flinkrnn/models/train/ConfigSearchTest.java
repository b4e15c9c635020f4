package io.flinkrnn.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.stepper.Scaling;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code train --budget} tries around a configuration: each candidate changes one thing. */
class ConfigSearchTest {
    static TrainingConfig relative(int level) {
        return TrainingConfig.builder().horizon(6).scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true)
                .guardRecent(5).guardLevel(level).build();
    }

    static String change(List<Object[]> candidates, int i) {
        return (String) candidates.get(i)[0];
    }

    @Test
    void theGuardsLevelIsTriedOffWhenTheGivenConfigurationHasIt() {
        List<Object[]> with = ConfigSearch.candidates(relative(12));
        assertEquals(6, with.size(), "as given, cell, differences, hidden, direct forecasts, no guard level");
        assertEquals("no guard level", change(with, with.size() - 1));
        TrainingConfig off = (TrainingConfig) with.get(with.size() - 1)[1];
        Map<String, String> given = relative(12).describe();
        Map<String, String> changed = off.describe();
        assertEquals("0", changed.get("guardLevel"));
        changed.put("guardLevel", "12");
        assertEquals(given, changed, "only the level differs");
        TrainingConfig direct = (TrainingConfig) with.get(4)[1];
        assertEquals("direct forecasts", change(with, 4));
        assertEquals(0, direct.guardLevel, "direct forecasts go without the guard and its options");
        List<Object[]> without = ConfigSearch.candidates(relative(0));
        assertTrue(without.stream().noneMatch(c -> c[0].equals("no guard level")), "nothing to turn off");
    }
}
