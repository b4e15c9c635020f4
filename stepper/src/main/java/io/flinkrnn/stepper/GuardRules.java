package io.flinkrnn.stepper;

import io.flinkrnn.kernels.model.ModelValidationException;
import java.io.Serializable;
import java.util.Optional;

/**
 * Whether a model's {@link ForecastGuard} runs and with which options, checked once here. The guard learns per
 * key and output how much of the model's change from the last value to trust; each option refines that choice
 * and is 0 when absent, so that {@link #off()} and a guard without options ({@link #on()}) are values of their own
 * rather than conventions spread over four fields.
 *
 * @param enabled whether the guard runs at all
 * @param recent over about how many recent resolved forecasts the guard also checks its long-run choice against
 *     the last value (0 = it does not): when that choice has done worse than the last value there, the blend best
 *     over them is used instead, so a key whose series has just changed regime falls back within a few rows
 * @param level the span in rows of the key's short level, a weighted mean of its recent values, that the guard
 *     may forecast steps 2 and on with when that has been more accurate than every blend (0 = it may not): on a
 *     series that is noise around a level, the level forecasts further steps better than the last value
 * @param evidence by how many standard errors a blend's paired advantage over the last value must be below zero
 *     before the one-step forecast leaves the last value for it (0 = the smallest long-run error decides alone): a
 *     near tie is noise, and following it loses to the last value where the model's one-step change barely matters
 * @param linear how many of the key's latest rows a per-key linear model ({@link LinearForecaster}) is fitted on, which
 *     the guard may forecast any step with when that has been more accurate than the model's blends (0 = it may not):
 *     where a global network fits a key worse than a linear model of its own recent values, the key gets the latter
 * @param error how the guard judges each candidate's misses: {@link GuardError#ABSOLUTE} (the default, and what every
 *     older model was judged by) or {@link GuardError#SQUARED}, to choose by the error the model is trained with
 */
public record GuardRules(boolean enabled, int recent, int level, float evidence, int linear, GuardError error)
        implements Serializable {
    /** The recent window {@code train} gives the guard: chosen on the NAB multi-key validation rows (BENCHMARKS.md). */
    public static final int DEFAULT_RECENT = 5;
    /** The level span {@code train} gives the guard with 2 or more steps: chosen on the same rows. */
    public static final int DEFAULT_LEVEL = 12;
    /** The evidence test {@code train} gives the guard: chosen on the same rows. */
    public static final float DEFAULT_EVIDENCE = 1f;

    /** The rows {@code train} gives the guard's linear model: chosen on the same rows and weather's and VIX's. */
    public static final int DEFAULT_LINEAR = 2000;

    private static final GuardRules OFF = new GuardRules(false, 0, 0, 0f, 0, GuardError.ABSOLUTE);
    private static final GuardRules ON = new GuardRules(true, 0, 0, 0f, 0, GuardError.ABSOLUTE);

    /** Checks every option: each at 0 (none) or in its range, and none without the guard. */
    public GuardRules {
        if (error == null) {
            throw new ModelValidationException("the guard's error must be ABSOLUTE or SQUARED, got null");
        }
        if (recent < 0 || recent == 1) {
            throw new ModelValidationException("the guard's recent window must be 0 (none) or at least 2 forecasts,"
                    + " got " + recent);
        }
        if (level < 0 || level == 1) {
            throw new ModelValidationException("the guard's level span must be 0 (none) or at least 2 rows, got "
                    + level);
        }
        if (!(evidence >= 0) || Float.isInfinite(evidence)) {
            throw new ModelValidationException("the guard's evidence must be a finite number of standard errors >= 0,"
                    + " got " + evidence);
        }
        if (linear < 0) {
            throw new ModelValidationException("the guard's linear model must fit on 0 (none) or more rows, got "
                    + linear);
        }
        if (!enabled && linear > 0) {
            throw new ModelValidationException("a linear model for the guard (" + linear + " rows) needs the guard on");
        }
        if (!enabled && recent > 0) {
            throw new ModelValidationException("a recent window for the guard (" + recent + " forecasts) needs the"
                    + " guard on");
        }
        if (!enabled && level > 0) {
            throw new ModelValidationException("a level for the guard (span " + level + " rows) needs the guard on");
        }
        if (!enabled && error != GuardError.ABSOLUTE) {
            throw new ModelValidationException("judging the guard's candidates by "
                    + error.name().toLowerCase(java.util.Locale.ROOT) + " error needs the guard on");
        }
        if (!enabled && evidence > 0) {
            throw new ModelValidationException("an evidence test for the guard (" + evidence + " standard errors)"
                    + " needs the guard on");
        }
    }

    /** No guard: the model's forecasts as they are. */
    public static GuardRules off() {
        return OFF;
    }

    /** The guard with none of its options: the long-run blend alone. */
    public static GuardRules on() {
        return ON;
    }

    /** What {@code train} gives a model of {@code steps} steps ahead: every option, the level only from 2 steps. */
    public static GuardRules defaults(int steps) {
        return new GuardRules(true, DEFAULT_RECENT, steps >= 2 ? DEFAULT_LEVEL : 0, DEFAULT_EVIDENCE, DEFAULT_LINEAR,
                GuardError.ABSOLUTE);
    }

    /**
     * How {@code train} has the guard judge a model trained by squared error (MSE) or not (Huber): by the error the
     * model is trained and scored with, chosen on the ETTh1 and demo validation rows (BENCHMARKS.md).
     */
    public static GuardError errorFor(boolean squaredLoss) {
        return squaredLoss ? GuardError.SQUARED : GuardError.ABSOLUTE;
    }

    /** The same options with the guard on or off (options need it on). */
    public GuardRules withEnabled(boolean on) {
        return new GuardRules(on, recent, level, evidence, linear, error);
    }

    public GuardRules withRecent(int forecasts) {
        return new GuardRules(enabled, forecasts, level, evidence, linear, error);
    }

    public GuardRules withLevel(int rows) {
        return new GuardRules(enabled, recent, rows, evidence, linear, error);
    }

    public GuardRules withEvidence(float standardErrors) {
        return new GuardRules(enabled, recent, level, standardErrors, linear, error);
    }

    public GuardRules withLinear(int rows) {
        return new GuardRules(enabled, recent, level, evidence, rows, error);
    }

    public GuardRules withError(GuardError measure) {
        return new GuardRules(enabled, recent, level, evidence, linear, measure);
    }

    /** Why these options cannot run in a model of {@code steps} steps ahead, if they cannot. */
    public Optional<String> stepsProblem(int steps) {
        if (level > 0 && steps < 2) {
            return Optional.of("the guard's level (span " + level + " rows) forecasts steps 2 and on, but the model"
                    + " forecasts one step");
        }
        int fewest = LinearForecaster.fewestRows(steps);
        return linear > 0 && linear < fewest ? Optional.of("the guard's linear model fits on " + linear + " rows, but"
                + " a model of " + steps + " steps needs at least " + fewest) : Optional.empty();
    }

    /** The guard's part of a model's one-line description ("" when off). */
    public String describe() {
        return (enabled ? "guard" : "") + (recent > 0 ? "(recent " + recent + ")" : "")
                + (level > 0 ? "(level " + level + ")" : "") + (evidence > 0 ? "(evidence " + evidence + ")" : "")
                + (linear > 0 ? "(linear " + linear + ")" : "")
                + (error != GuardError.ABSOLUTE ? "(" + error.name().toLowerCase(java.util.Locale.ROOT) + ")" : "");
    }
}
