package io.flinkrnn.operators.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes {@link RnnKeyState} for checkpoints and savepoints without Kryo. Every value starts with a
 * format byte, so any later version of this class can still read values that an older version wrote (the
 * reader switches on the byte). This version writes {@link #FORMAT_V2} and reads both:
 *
 * <pre>
 *   byte  format (1 or 2)
 *   int   n, then n floats   recurrent state (h of every layer, then c of every layer for LSTM)
 *   long  steps
 *   long  last event time (Long.MIN_VALUE before the first step)
 *   -- format 2 only: anomaly scoring --
 *   int   t, then t floats   last one-step forecast per target (t = 0: scoring off or not started)
 *   t floats                 running mean absolute error per target
 *   long  errors scored
 * </pre>
 *
 * The recurrent length is written with each value, so the serializer does not depend on the model: a
 * model change that alters the state size is caught by the operator with a clear message, not here.
 */
public final class RnnKeyStateSerializer extends TypeSerializer<RnnKeyState> {
    private static final long serialVersionUID = 1L;
    static final byte FORMAT_V1 = 1;
    static final byte FORMAT_V2 = 2;

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
        out.writeByte(FORMAT_V2);
        writeFloats(s.recurrent(), out);
        out.writeLong(s.steps());
        out.writeLong(s.lastEventTime());
        writeFloats(s.lastForecast(), out);
        for (float v : s.errorScale()) {
            out.writeFloat(v);
        }
        out.writeLong(s.scoredErrors());
    }

    private static void writeFloats(float[] a, DataOutputView out) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(int n, DataInputView in) throws IOException {
        if (n < 0) {
            throw new IOException("corrupt RnnKeyState: negative length " + n);
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    @Override
    public RnnKeyState deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT_V1 && format != FORMAT_V2) {
            throw new IOException("unknown RnnKeyState format " + format + ": this state was written by a newer"
                    + " flink-rnn than the one reading it");
        }
        float[] r = readFloats(in.readInt(), in);
        long steps = in.readLong();
        long last = in.readLong();
        if (format == FORMAT_V1) {
            return new RnnKeyState(r, steps, last);
        }
        int t = in.readInt();
        float[] forecast = readFloats(t, in);
        float[] scale = readFloats(t, in);
        return new RnnKeyState(r, steps, last, forecast, scale, in.readLong());
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
