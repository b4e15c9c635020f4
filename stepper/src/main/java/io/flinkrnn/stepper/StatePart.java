package io.flinkrnn.stepper;

/**
 * One named part of a key's per-key feature vector ({@link KeyState#features()}), with the id and version its
 * state is written under. A restore or a model update that meets another layout carries a part over bit for bit
 * only when the id, the version and the size agree ({@link StateParts}); so a change to what a part's floats mean
 * must raise its version, and a new part takes a new id (never reuse one). A part that {@linkplain #countsRows()
 * counts rows} keeps its own row count as its first float, so a part that starts fresh inside a key that has
 * stepped for a long time warms up like a new key's, while every other part carries on.
 */
public enum StatePart {
    /** Per-key scaling: its row count, the running mean and variance of every feature. */
    SCALING(1, 1, 0, true),
    /** Input differences: its row count, the previous row's values. */
    DIFFERENCES(2, 1, 0, true),
    /** The guard: its row count, the last origins' values and model changes, the blends' long-run errors. */
    GUARD(3, 1, 2, true),
    /** The guard's recent window: the blends' recent errors (read against the guard's row count). */
    GUARD_RECENT(4, 1, 2, false),
    /** The guard's level: its own row count, the level, the last origins' levels, its errors. */
    GUARD_LEVEL(5, 1, 2, false),
    /** The guard's one-step evidence test: its own count, the paired differences' means and squares. */
    GUARD_EVIDENCE(6, 1, 2, false),
    /**
     * The guard's linear forecaster: its row count; per target its cursors, newest values, coefficients, errors and the
     * forecasts issued from the last origins (5; 3 had no issued forecasts, 1 held all N values instead of moving the
     * older ones to the key's history: both are read into it, {@link LinearRingLayout}).
     */
    LINEAR(16, 5, 6, true),
    /** Forecast intervals: its row count, the issued forecasts of the last origins, half-widths, errors. */
    INTERVALS(7, 1, 0, true),
    /** Head adaptation: its row count, the correction and the last origins' hidden states and forecasts. */
    ADAPTATION(8, 1, 0, true),
    /** Anomaly scoring: its row count, the last one-step forecast and the running error per target. */
    ANOMALY(9, 1, 0, true),
    /** The 10-row anomaly likelihood: its row count, the raw scores, their moments, each target's range. */
    LIKELIHOOD(10, 1, 0, true),
    /** The surprise test (5+ steps): its own count, the last origins' forecasts, values and scale. */
    SURPRISE(11, 1, 0, false),
    /** The anomaly flags: the quiet period left and the surprise quantile. */
    FLAGS(12, 1, 0, false),
    /** The 48-row likelihoods: its own count, of raw scores and of the daily profile's surprises. */
    CONTEXT(13, 1, 0, false),
    /** The weekly profile's likelihood: its own count and the profile. */
    WEEKLY(14, 1, 0, false),
    /** Every target's score: its own count of learned rows, each target's normal mean and variance. */
    SIGNALS(15, 1, 0, false),
    /** The anomalous decision's hysteresis: whether the key is anomalous, its normal rows since. */
    HOLD(17, 1, 0, false);

    private final int id;
    private final int version;
    private final int squaredVersion;
    private final boolean countsRows;

    StatePart(int id, int version, int squaredVersion, boolean countsRows) {
        this.id = id;
        this.version = version;
        this.squaredVersion = squaredVersion;
        this.countsRows = countsRows;
    }

    /** The id the part is written under; stable forever. */
    public int id() {
        return id;
    }

    /** The version of the part's meaning; raised whenever its floats change meaning. */
    public int version() {
        return version;
    }

    /**
     * The version of the part's meaning under a guard that judges by {@code error}: a part that holds the guard's
     * errors has a version of its own for squared errors, so that a model update across that switch starts it fresh
     * instead of reading absolute errors as squares. Every part's versions are distinct numbers ({@code
     * StatePartTest}).
     */
    public int version(GuardError error) {
        return error == GuardError.SQUARED && squaredVersion > 0 ? squaredVersion : version;
    }

    /** Whether the part's first float is its own row count, advanced once per stepped row by the layout. */
    public boolean countsRows() {
        return countsRows;
    }

    /** The part's name in logs and metrics, e.g. {@code guardLevel}. */
    public String label() {
        return MetricNames.of(this);
    }

    /** The part written under {@code id}, or null for an id this version does not know (a newer writer's). */
    public static StatePart byId(int id) {
        for (StatePart p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
