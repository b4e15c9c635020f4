package io.flinkrnn.stepper;

import java.io.Serializable;

/**
 * When a key is {@linkplain AnomalyHold anomalous}: from a row whose joint signal score (a target's distance from
 * its normal, in standard deviations) reaches {@code enter} until {@code clearRows} consecutive rows stay below it.
 * The defaults were chosen on SKAB's valve1 runs (docs/BENCHMARKS.md).
 */
public record AnomalyRules(double enter, int clearRows) implements Serializable {
    /** Four standard deviations to enter, forty normal rows to leave. */
    public static final AnomalyRules DEFAULTS = new AnomalyRules(4, 40);

    public AnomalyRules {
        String problem = enterProblem(enter);
        if (problem != null) {
            throw new IllegalArgumentException("anomaly entry threshold " + problem);
        }
        problem = clearRowsProblem(clearRows);
        if (problem != null) {
            throw new IllegalArgumentException("anomaly clear rows " + problem);
        }
    }

    /** What is wrong with {@code x} as an entry threshold, for the caller to prefix with its name, or null. */
    public static String enterProblem(double x) {
        return x > 0 && x < Float.MAX_VALUE ? null : "must be a positive number, got " + x;
    }

    /** What is wrong with {@code n} as the rows to clear, for the caller to prefix with its name, or null. */
    public static String clearRowsProblem(long n) {
        return n >= 1 ? null : "must be at least 1, got " + n;
    }
}
