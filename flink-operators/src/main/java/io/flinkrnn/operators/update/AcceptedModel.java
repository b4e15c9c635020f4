package io.flinkrnn.operators.update;

import io.flinkrnn.stepper.ForecastModel;

/**
 * A model update that passed every check: its model, the event time from which keys switch to it (the
 * update's {@code effectiveFrom} rounded up to the switch granularity), what keys keep, and the artifact's
 * bytes, which go into checkpoints so that a restore never has to fetch the artifact again.
 */
public final class AcceptedModel {
    public final long version;
    public final long effectiveFromMillis;
    public final long switchAtMillis;
    public final boolean keepState;
    public final String sha256;
    public final byte[] artifact;
    public final ForecastModel model;

    AcceptedModel(long version, long effectiveFromMillis, long granularityMillis, boolean keepState, String sha256,
            byte[] artifact, ForecastModel model) {
        this.version = version;
        this.effectiveFromMillis = effectiveFromMillis;
        this.switchAtMillis = alignUp(effectiveFromMillis, granularityMillis);
        this.keepState = keepState;
        this.sha256 = sha256;
        this.artifact = artifact;
        this.model = model;
    }

    /** The first multiple of {@code granularity} at or after {@code t} (t itself when it saturates). */
    static long alignUp(long t, long granularity) {
        long down = Math.floorDiv(t, granularity) * granularity;
        if (down == t) {
            return t;
        }
        long up = down + granularity;
        return up < down ? t : up;
    }

    @Override
    public String toString() {
        return "version " + version + " (sha256 " + sha256.substring(0, 12) + "..., switching at "
                + java.time.Instant.ofEpochMilli(switchAtMillis) + ", " + (keepState ? "keeping" : "resetting")
                + " key state)";
    }
}
