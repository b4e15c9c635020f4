package io.flinkrnn.operators.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes {@link RnnKeyState} for checkpoints and savepoints without Kryo. Every value starts with a
 * format byte, so any later version of this class can still read values that an older version wrote (the
 * reader switches on the byte); {@link #FORMAT_V1} is the only format so far:
 *
 * <pre>
 *   byte  format (1)
 *   int   n, then n floats   recurrent state (h of every layer, then c of every layer for LSTM)
 *   long  steps
 *   long  last event time (Long.MIN_VALUE before the first step)
 * </pre>
 *
 * The recurrent length is written with each value, so the serializer does not depend on the model: a
 * model change that alters the state size is caught by the operator with a clear message, not here.
 */
public final class RnnKeyStateSerializer extends TypeSerializer<RnnKeyState> {
    private static final long serialVersionUID = 1L;
    static final byte FORMAT_V1 = 1;

    public static final RnnKeyStateSerializer INSTANCE = new RnnKeyStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<RnnKeyState> duplicate() {
        return this;
    }

    @Override
    public RnnKeyState createInstance() {
        return RnnKeyState.fresh(0);
    }

    @Override
    public RnnKeyState copy(RnnKeyState from) {
        return from.copy();
    }

    @Override
    public RnnKeyState copy(RnnKeyState from, RnnKeyState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RnnKeyState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT_V1);
        float[] r = s.recurrent();
        out.writeInt(r.length);
        for (float v : r) {
            out.writeFloat(v);
        }
        out.writeLong(s.steps());
        out.writeLong(s.lastEventTime());
    }

    @Override
    public RnnKeyState deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT_V1) {
            throw new IOException("unknown RnnKeyState format " + format + ": this state was written by a newer"
                    + " flink-rnn than the one reading it");
        }
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt RnnKeyState: negative state length " + n);
        }
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = in.readFloat();
        }
        return new RnnKeyState(r, in.readLong(), in.readLong());
    }

    @Override
    public RnnKeyState deserialize(RnnKeyState reuse, DataInputView in) throws IOException {
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
    public TypeSerializerSnapshot<RnnKeyState> snapshotConfiguration() {
        return new RnnKeyStateSerializerSnapshot();
    }
}
