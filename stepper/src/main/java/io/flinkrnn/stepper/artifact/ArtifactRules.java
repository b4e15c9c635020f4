package io.flinkrnn.stepper.artifact;

import io.flinkrnn.schemas.ModelArtifact;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardError;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.TimeFeatures;

/**
 * Where a model's {@link ForecastRules} live in a {@link ModelArtifact}: one field per rule, written in the oldest
 * format that holds them all (so older readers keep loading models that use no newer rule, and refuse by version
 * the ones that do), read back with what each format before a field meant (no such option).
 */
final class ArtifactRules {
    /** The first format with the per-key rules. */
    static final int RULES_FORMAT_VERSION = 2;
    /** The first with the guard's recent window: a model with one and no newer option is written as this. */
    static final int GUARD_RECENT_FORMAT_VERSION = 4;
    /** The first with the guard's level and evidence test. */
    static final int GUARD_LEVEL_FORMAT_VERSION = 5;
    /** The first with the guard's linear forecaster. */
    static final int GUARD_LINEAR_FORMAT_VERSION = 6;
    /** The first with the guard's error measure: written only for a guard that judges by squared error. */
    static final int GUARD_ERROR_FORMAT_VERSION = 7;

    private ArtifactRules() {
    }

    /** The oldest format that holds {@code rules}. */
    static int formatVersion(ForecastRules rules) {
        GuardRules g = rules.guard();
        return g.error() != GuardError.ABSOLUTE ? GUARD_ERROR_FORMAT_VERSION
                : g.linear() > 0 ? GUARD_LINEAR_FORMAT_VERSION
                : g.level() > 0 || g.evidence() > 0 ? GUARD_LEVEL_FORMAT_VERSION
                : g.recent() > 0 ? GUARD_RECENT_FORMAT_VERSION : RULES_FORMAT_VERSION;
    }

    static void write(ForecastRules rules, ModelArtifact.Builder a) {
        GuardRules g = rules.guard();
        a.setScaling(rules.scaling().name()).setScalingSpan(rules.scalingSpan())
                .setRelativeToLast(rules.relativeToLast()).setInputDifferences(rules.inputDifferences())
                .setTimeFeatures(rules.timeFeatures().name()).setGuard(g.enabled()).setGuardRecent(g.recent())
                .setGuardLevel(g.level()).setGuardEvidence(g.evidence()).setGuardLinear(g.linear())
                .setGuardError(g.error().name());
    }

    /** The rules {@code a} holds; a format before a field's meant that option's absence (0). */
    static ForecastRules read(ModelArtifact a) {
        int format = a.getFormatVersion();
        GuardRules guard = new GuardRules(a.getGuard(), format >= GUARD_RECENT_FORMAT_VERSION ? a.getGuardRecent() : 0,
                format >= GUARD_LEVEL_FORMAT_VERSION ? a.getGuardLevel() : 0,
                format >= GUARD_LEVEL_FORMAT_VERSION ? a.getGuardEvidence() : 0f,
                format >= GUARD_LINEAR_FORMAT_VERSION ? a.getGuardLinear() : 0,
                format >= GUARD_ERROR_FORMAT_VERSION ? ModelArtifacts.named(GuardError.class, "guardError",
                        a.getGuardError()) : GuardError.ABSOLUTE);
        return new ForecastRules(ModelArtifacts.named(Scaling.class, "scaling", a.getScaling()), a.getScalingSpan(),
                a.getRelativeToLast(), a.getInputDifferences(),
                ModelArtifacts.named(TimeFeatures.class, "timeFeatures", a.getTimeFeatures()), guard);
    }
}
