package io.flinkrnn.operators.update;

import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Turns a {@link ModelUpdate} into an {@link AcceptedModel}, or says why not: the update must be for this
 * job's model, newer than every accepted one, and its artifact (inline, or at its URI on any Flink FileSystem)
 * must hash to the update's SHA-256, read as a valid artifact (with its own weights checksum), read the same
 * input features in the same order as the stream's records carry, and have its targets among them where the
 * job's scoring, intervals or adaptation need the actual values. Deterministic for a given update and artifact.
 */
public final class ModelUpdateLoader implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The largest artifact an update may bring. */
    public static final int MAX_ARTIFACT_BYTES = 256 << 20;

    /** Why an update was refused; the message names the update and the problem. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final String modelId;
    private final ForecastModel starting;
    private final StepperSettings settings;
    private final long granularityMillis;

    public ModelUpdateLoader(String modelId, ForecastModel starting, StepperSettings settings, long granularityMillis) {
        this.modelId = modelId;
        this.starting = starting;
        this.settings = settings;
        this.granularityMillis = granularityMillis;
    }

    public long granularityMillis() {
        return granularityMillis;
    }

    /** Checks {@code u} against this job with {@code newestAccepted} the newest version it runs. */
    public AcceptedModel load(ModelUpdate u, long newestAccepted) throws Refused {
        String name = "model update " + u.getModelId() + " version " + u.getVersion();
        if (!modelId.equals(u.getModelId())) {
            throw new Refused(name + " is for model '" + u.getModelId() + "'; this job runs model '" + modelId + "'");
        }
        if (u.getVersion() <= newestAccepted) {
            throw new Refused(name + " is stale: versions only grow, and this job already runs version "
                    + newestAccepted);
        }
        String sha = u.getSha256() == null ? "" : u.getSha256().toLowerCase(java.util.Locale.ROOT);
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new Refused(name + ": sha256 must be 64 hex digits, got '" + u.getSha256() + "'");
        }
        String source = u.getArtifact() != null ? "the inline artifact" : "artifact " + u.getUri();
        byte[] bytes = fetch(u, name);
        String actual = sha256(bytes);
        if (!actual.equals(sha)) {
            throw new Refused(name + ": " + source + " hashes to " + actual + ", not to the update's sha256 " + sha
                    + " (tampered with, replaced or corrupted)");
        }
        ForecastModel m;
        try {
            m = ModelArtifacts.read(new ByteArrayInputStream(bytes), source).model;
        } catch (IOException | RuntimeException e) {
            throw new Refused(name + ": " + e.getMessage());
        }
        if (!m.features().equals(starting.features())) {
            throw new Refused(name + ": its model reads features " + m.features() + " but the stream's records carry "
                    + starting.features() + " (same names, same order)");
        }
        java.util.Optional<String> targets = settings.targetsProblem(m);
        if (targets.isPresent()) {
            throw new Refused(name + ": " + targets.get());
        }
        return new AcceptedModel(u.getVersion(), u.getEffectiveFrom().toEpochMilli(), granularityMillis,
                u.getState() != ModelStatePolicy.RESET, sha, bytes, m);
    }

    /** An accepted model again from what a checkpoint kept of it (checked again: the bytes came from storage). */
    AcceptedModel restore(long version, long effectiveFromMillis, boolean keep, String sha, byte[] bytes)
            throws IOException {
        if (!sha256(bytes).equals(sha)) {
            throw new IOException("model update version " + version + " in the checkpoint does not match its sha256");
        }
        ForecastModel m = ModelArtifacts.read(new ByteArrayInputStream(bytes), "model update version " + version
                + " from the checkpoint").model;
        return new AcceptedModel(version, effectiveFromMillis, granularityMillis, keep, sha, bytes, m);
    }

    private static byte[] fetch(ModelUpdate u, String name) throws Refused {
        ByteBuffer inline = u.getArtifact();
        if (inline != null) {
            byte[] b = new byte[inline.remaining()];
            inline.duplicate().get(b);
            return b;
        }
        if (u.getUri() == null || u.getUri().isBlank()) {
            throw new Refused(name + " has neither an artifact nor a uri");
        }
        try {
            Path p = new Path(u.getUri());
            FileSystem fs = p.getFileSystem();
            try (InputStream in = fs.open(p)) {
                byte[] b = in.readNBytes(MAX_ARTIFACT_BYTES + 1);
                if (b.length > MAX_ARTIFACT_BYTES) {
                    throw new Refused(name + ": artifact " + u.getUri() + " is larger than " + MAX_ARTIFACT_BYTES
                            + " bytes");
                }
                return b;
            }
        } catch (IOException | RuntimeException e) {
            throw new Refused(name + ": artifact " + u.getUri() + " could not be read: " + e);
        }
    }

    /** SHA-256 of {@code bytes}, 64 lower-case hex digits: what an update's {@code sha256} must be. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
