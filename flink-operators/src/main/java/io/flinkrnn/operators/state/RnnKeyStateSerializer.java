package io.flinkrnn.operators.state;

import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.StateParts;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes a key's {@link KeyState} for checkpoints and savepoints without Kryo. Every value starts with a
 * format byte, so any later version of this class can still read values that an older version wrote (the
 * reader switches on the byte). This version writes {@link #FORMAT_V5}, whose features carry their parts, or {@link
 * #FORMAT_V6} for a state that holds its history ({@link KeyState#history()}: where no store keeps it apart, as in
 * the SQL function's state), and reads 1 to 6; a key restored from format 3 or 4 and not stepped since is written
 * back as it was read:
 *
 * <pre>
 *   byte  format (1 to 6)
 *   int   n, then n floats   recurrent state (h of every layer, then c of every layer for LSTM)
 *   long  steps
 *   long  last event time (Long.MIN_VALUE before the first step)
 *   -- format 2 only: anomaly scoring of flink-rnn 0.1 --
 *   int   t, then 2t floats, long   (read and dropped: the stepper's features start afresh)
 *   -- format 3 --
 *   int   m, then m floats   the stepper's per-key features (layout: the stepper's KeyLayout)
 *   -- format 4: format 3, then --
 *   long  the version of the model update the key steps with
 *   -- format 5: format 1, then --
 *   long  the version of the model update the key steps with (Long.MIN_VALUE: the starting model)
 *   int   the meaning of the model's names the parts were computed for
 *   byte  p, then per part: byte id, byte version, varint size   the parts of the features, in order
 *   int   m, then m floats   the features (m = the parts' sizes added up)
 *   -- format 6: format 5, then --
 *   int   h, then h floats   the key's history
 * </pre>
 *
 * A key restored from format 1 or 2 keeps its recurrent state and steps; its per-key features (scaling
 * statistics, guard, anomaly scale) warm up again from its next row, counted and logged by the stepper. Format 3
 * and 4 features, which carry no parts, are recognised by the stepper (its {@code LegacyLayout}). The lengths are written with each
 * value, so the serializer does not depend on the model: a model change that alters the state size is
 * caught by the stepper with a clear message, not here.
 */
public final class RnnKeyStateSerializer extends TypeSerializer<KeyState> {
    private static final long serialVersionUID = 1L;
    static final byte FORMAT_V1 = 1;
    static final byte FORMAT_V2 = 2;
    static final byte FORMAT_V3 = 3;
    static final byte FORMAT_V4 = 4;
    static final byte FORMAT_V5 = 5;
    static final byte FORMAT_V6 = 6;

    public static final RnnKeyStateSerializer INSTANCE = new RnnKeyStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<KeyState> duplicate() {
        return this;
    }

    @Override
    public KeyState createInstance() {
        return KeyState.fresh(0);
    }

    @Override
    public KeyState copy(KeyState from) {
        return from.copy();
    }

    @Override
    public KeyState copy(KeyState from, KeyState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KeyState s, DataOutputView out) throws IOException {
        StateParts parts = s.parts();
        if (parts == null) {
            serializeLegacy(s, out);
            return;
        }
        out.writeByte(s.history() == null ? FORMAT_V5 : FORMAT_V6);
        writeFloats(s.recurrent(), out);
        out.writeLong(s.steps());
        out.writeLong(s.lastEventTime());
        out.writeLong(s.modelVersion());
        out.writeInt(parts.meaning());
        out.writeByte(parts.count());
        for (int i = 0; i < parts.count(); i++) {
            out.writeByte(parts.id(i));
            out.writeByte(parts.version(i));
            writeVarInt(parts.size(i), out);
        }
        writeFloats(s.features(), out);
        if (s.history() != null) {
            writeFloats(s.history(), out);
        }
    }

    /**
     * Format 3 or 4, for a key restored from one of them whose features no step has moved into parts yet. Those
     * formats have no history; a history attached to such a state (which no step attaches) fails the write instead
     * of being dropped.
     */
    private static void serializeLegacy(KeyState s, DataOutputView out) throws IOException {
        if (s.history() != null) {
            throw new IllegalStateException("a key state in an old layout (format 3 or 4, no parts) holds a history of "
                    + s.history().length + " floats, which those formats cannot keep: refusing to drop it");
        }
        boolean updated = s.modelVersion() != KeyState.STARTING_MODEL;
        out.writeByte(updated ? FORMAT_V4 : FORMAT_V3);
        writeFloats(s.recurrent(), out);
        out.writeLong(s.steps());
        out.writeLong(s.lastEventTime());
        writeFloats(s.features(), out);
        if (updated) {
            out.writeLong(s.modelVersion());
        }
    }

    private static void writeVarInt(int v, DataOutputView out) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("corrupt KeyState: a part size longer than 5 bytes");
    }

    /** The length, then the floats big-endian, in one write: the same bytes as a writeFloat per value. */
    private static void writeFloats(float[] a, DataOutputView out) throws IOException {
        out.writeInt(a.length);
        byte[] b = new byte[a.length * 4];
        ByteBuffer.wrap(b).asFloatBuffer().put(a);
        out.write(b);
    }

    private static float[] readFloats(int n, DataInputView in) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE / 4) {
            throw new IOException("corrupt KeyState: a length of " + n + " floats");
        }
        byte[] b = new byte[n * 4];
        in.readFully(b);
        float[] a = new float[n];
        ByteBuffer.wrap(b).asFloatBuffer().get(a);
        return a;
    }

    @Override
    public KeyState deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format < FORMAT_V1 || format > FORMAT_V6) {
            throw new IOException("unknown KeyState format " + format + ": this state was written by a newer"
                    + " flink-rnn than the one reading it");
        }
        float[] r = readFloats(in.readInt(), in);
        long steps = in.readLong();
        long last = in.readLong();
        if (format >= FORMAT_V5) {
            KeyState s = deserializeV5(r, steps, last, in);
            if (format == FORMAT_V6) {
                s.history(readFloats(in.readInt(), in));
            }
            return s;
        }
        if (format == FORMAT_V1) {
            return new KeyState(r, steps, last, null);
        }
        if (format == FORMAT_V2) {
            int t = in.readInt();
            readFloats(t, in);
            readFloats(t, in);
            in.readLong();
            return new KeyState(r, steps, last, null);
        }
        float[] features = readFloats(in.readInt(), in);
        return new KeyState(r, steps, last, features, format == FORMAT_V4 ? in.readLong() : KeyState.STARTING_MODEL);
    }

    private static KeyState deserializeV5(float[] r, long steps, long last, DataInputView in) throws IOException {
        long version = in.readLong();
        int meaning = in.readInt();
        int count = in.readUnsignedByte();
        int[] ids = new int[count];
        int[] versions = new int[count];
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.readUnsignedByte();
            versions[i] = in.readUnsignedByte();
            sizes[i] = readVarInt(in);
        }
        float[] features = readFloats(in.readInt(), in);
        StateParts parts = StateParts.of(meaning, ids, versions, sizes);
        if (parts.size() != features.length) {
            throw new IOException("corrupt KeyState: " + features.length + " floats of features, but its parts "
                    + parts + " add up to " + parts.size());
        }
        return new KeyState(r, steps, last, features, parts, version);
    }

    @Override
    public KeyState deserialize(KeyState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof RnnKeyStateSerializer;
    }

    @Override
    public int hashCode() {
        return RnnKeyStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
        return new RnnKeyStateSerializerSnapshot();
    }
}
