package io.flinkrnn.stepper;

import java.io.Serializable;

/**
 * When a key is {@linkplain AnomalyHold anomalous}: from a row whose joint signal score (a target's distance from
 * its normal, in standard deviations) reaches {@code enter} until {@code clearRows} consecutive rows stay below it.
 * The defaults were chosen on SKAB's valve1 runs (docs/BENCHMARKS.md).
 */
public record AnomalyRules(double enter, int clearRows) implements Serializable {
    /** Four standard deviations to enter, thirty normal rows to leave. */
    public static final AnomalyRules DEFAULTS = new AnomalyRules(4, 30);

    public AnomalyRules {
        if (!(enter > 0 && enter < Float.MAX_VALUE)) {
            throw new IllegalArgumentException("anomaly entry threshold must be a positive number, got " + enter);
        }
        if (clearRows < 1) {
            throw new IllegalArgumentException("anomaly clear rows must be at least 1, got " + clearRows);
        }
    }
}
