package io.flinkrnn.operators.update;

import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.schemas.ModelUpdate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One operator instance's side of model updates: reads the feed, accepts or refuses each update, and keeps
 * what a checkpoint must hold (the feed's positions, the accepted models with their artifacts, how far the
 * feed has been checked).
 *
 * <p><b>The switch rule.</b> A key steps a row with event time t with the newest accepted update whose switch
 * time (its {@code effectiveFrom} rounded up to the granularity G) is at or before t, unless the key already
 * steps with a newer one. Before stepping a bundle, the instance reads the feed to its end whenever the
 * bundle holds a row in a G-period later than any it has checked ({@link #beforeStepping}).
 *
 * <p><b>Why that is reproducible.</b> Suppose the update U was appended to the feed before any observation with
 * event time at or after its switch time S was appended to the input. Take a row r with t >= S. Either r's
 * bundle reads the feed to its end, after r was read from the input and so after U was appended: U is known
 * before r steps. Or an earlier bundle checked r's period or a later one, holding a row r0 in it, with t0 >= S
 * because S is a multiple of G: that read came after r0 was appended, so after U. Either way every row at or
 * after S steps with U, in every run, replays included, so a failover reproduces the forecasts bit for bit.
 * A checkpoint saves the positions, the accepted models and the checked period together, so a restore
 * resumes that invariant. <b>Limit:</b> an update appended after observations at its switch time (a switch
 * time in the stream's past) is still applied, to each key from its next row at or after S, but where that
 * falls depends on arrival: the instance counts it as late and logs a warning.
 */
public final class ModelUpdates implements AutoCloseable {
    /** What becomes of each update. */
    public interface Listener {
        void accepted(AcceptedModel m, boolean late);

        void refused(ModelUpdateFeed.Record r, String message);
    }

    private static final int STATE_FORMAT = 1;

    private final ModelUpdateFeed feed;
    private final ModelUpdateLoader loader;
    private final ModelVersions versions;
    private final Listener listener;
    private final AvroCodec<ModelUpdate> codec = new AvroCodec<>(ModelUpdate.class);
    private final long granularity;
    private ModelUpdateFeed.Reader reader;
    private Map<Integer, Long> restoredPositions = new TreeMap<>();
    private long checkedPeriod = Long.MIN_VALUE;
    private long maxStepped = Long.MIN_VALUE;

    public ModelUpdates(ModelUpdateFeed feed, ModelUpdateLoader loader, ModelVersions versions, Listener listener) {
        this.feed = feed;
        this.loader = loader;
        this.versions = versions;
        this.listener = listener;
        this.granularity = loader.granularityMillis();
    }

    /**
     * Restores what the checkpoints of every former instance held (union state): the accepted models of all of
     * them, the smallest position per partition (reading again from there finds only known or refused
     * updates), the smallest checked period and the latest stepped event time.
     */
    public void restore(Iterable<byte[]> saved) throws IOException {
        boolean any = false;
        for (byte[] s : saved) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(s));
            int format = in.readInt();
            if (format != STATE_FORMAT) {
                throw new IOException("model-update state format " + format + " is newer than this flink-rnn reads");
            }
            long period = in.readLong();
            checkedPeriod = any ? Math.min(checkedPeriod, period) : period;
            maxStepped = Math.max(maxStepped, in.readLong());
            int parts = in.readInt();
            for (int i = 0; i < parts; i++) {
                restoredPositions.merge(in.readInt(), in.readLong(), Math::min);
            }
            int models = in.readInt();
            for (int i = 0; i < models; i++) {
                long version = in.readLong();
                long effective = in.readLong();
                boolean keep = in.readBoolean();
                String sha = in.readUTF();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                if (!versions.contains(version)) {
                    versions.add(loader.restore(version, effective, keep, sha, bytes));
                }
            }
            any = true;
        }
    }

    /** Opens the feed where the checkpoint left it and reads it to its end. */
    public void open() throws IOException {
        reader = feed.open(restoredPositions);
        read();
    }

    /** Before a bundle whose latest row is at {@code maxEventTime} steps: reads the feed if that period is new. */
    public void beforeStepping(long maxEventTime) throws IOException {
        long period = Math.floorDiv(maxEventTime, granularity);
        if (period > checkedPeriod) {
            read();
            checkedPeriod = period;
        }
    }

    /** After a bundle stepped rows up to {@code maxEventTime}: remembered to tell late updates. */
    public void stepped(long maxEventTime) {
        maxStepped = Math.max(maxStepped, maxEventTime);
    }

    private void read() throws IOException {
        for (ModelUpdateFeed.Record r : reader.readToEnd()) {
            ModelUpdate u;
            try {
                u = codec.decode(r.value);
            } catch (IOException | RuntimeException e) {
                listener.refused(r, "undecodable model update at " + r.source + " partition " + r.partition
                        + " offset " + r.offset + ": " + e.getMessage());
                continue;
            }
            AcceptedModel known = versions.model(u.getVersion());
            if (known != null && known.sha256.equalsIgnoreCase(u.getSha256())) {
                continue; // read again after a restore: already accepted
            }
            try {
                AcceptedModel m = loader.load(u, versions.newest());
                try {
                    versions.add(m);
                } catch (RuntimeException e) {
                    throw new ModelUpdateLoader.Refused("model update " + u.getModelId() + " version "
                            + u.getVersion() + ": its model cannot be run here: " + e.getMessage());
                }
                listener.accepted(m, maxStepped >= m.switchAtMillis);
            } catch (ModelUpdateLoader.Refused e) {
                listener.refused(r, e.getMessage());
            }
        }
    }

    /** This instance's part of the union state. */
    public byte[] snapshot() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(STATE_FORMAT);
        out.writeLong(checkedPeriod);
        out.writeLong(maxStepped);
        Map<Integer, Long> positions = reader == null ? restoredPositions : reader.positions();
        out.writeInt(positions.size());
        for (Map.Entry<Integer, Long> e : positions.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
        List<AcceptedModel> models = new ArrayList<>(versions.accepted());
        out.writeInt(models.size());
        for (AcceptedModel m : models) {
            out.writeLong(m.version);
            out.writeLong(m.effectiveFromMillis);
            out.writeBoolean(m.keepState);
            out.writeUTF(m.sha256);
            out.writeInt(m.artifact.length);
            out.write(m.artifact);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
