package io.flinkrnn.operators.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.StateParts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The state serializer round-trips, and reads what older versions wrote: {@code state/rnn-key-state-v1.bin}
 * was written by version 1 (a versioned serializer snapshot followed by {@link #V1_VALUES} values) and is
 * kept unchanged, so any later serializer must still restore savepoints of version 1; format 2 values (the
 * anomaly fields of flink-rnn 0.1) are written here byte by byte as that version laid them out; format 3 and 4
 * values, whose features carry no parts, are written back as they were read until the stepper moves them.
 */
class RnnKeyStateSerializerTest {
    static final String V1_RESOURCE = "/state/rnn-key-state-v1.bin";
    static final int V1_VALUES = 3;

    /** The values stored in the v1 resource. */
    static KeyState v1Value(int i) {
        float[] r = new float[4 + i];
        for (int j = 0; j < r.length; j++) {
            r[j] = (float) Math.sin(i * 10 + j) * (j % 2 == 0 ? 1 : -1);
        }
        return new KeyState(r, 1000L * i + 7, i == 0 ? KeyState.NO_EVENT_TIME : 1_700_000_000_000L + i, null);
    }

    @Test
    void roundTrip() throws IOException {
        KeyState s = v1Value(2);
        DataOutputSerializer out = new DataOutputSerializer(64);
        RnnKeyStateSerializer.INSTANCE.serialize(s, out);
        KeyState back = RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(s, back);
        assertEquals(s, RnnKeyStateSerializer.INSTANCE.copy(s));
        KeyState withFeatures = new KeyState(new float[] {1f, -2f}, 9, 123L, new float[] {3f, 0.5f, 7f, -0.25f});
        out.clear();
        RnnKeyStateSerializer.INSTANCE.serialize(withFeatures, out);
        assertEquals(withFeatures, RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(
                out.getCopyOfBuffer())), "format 3 keeps the stepper's per-key features");
    }

    @Test
    void aKeyReadFromFormat3Or4AndNotSteppedSinceIsWrittenBackAsItWasRead() throws IOException {
        KeyState onUpdate = new KeyState(new float[] {1f, -2f}, 9, 123L, new float[] {3f}, 42L);
        DataOutputSerializer out = new DataOutputSerializer(64);
        RnnKeyStateSerializer.INSTANCE.serialize(onUpdate, out);
        byte[] v4 = out.getCopyOfBuffer();
        assertEquals(4, v4[0]);
        KeyState back = RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(v4));
        assertEquals(onUpdate, back);
        assertEquals(42L, back.modelVersion());
        out.clear();
        RnnKeyStateSerializer.INSTANCE.serialize(new KeyState(new float[] {1f, -2f}, 9, 123L, new float[] {3f}), out);
        assertEquals(3, out.getCopyOfBuffer()[0], "a job that takes no update writes what flink-rnn 0.1 reads");
        assertEquals(v4.length - 8, out.length());
    }

    @Test
    void aKeyWhoseFeaturesCarryTheirPartsIsWrittenInFormat5WithThemAndReadBackAsIs() throws IOException {
        StateParts parts = StateParts.of(77, new int[] {1, 3, 200}, new int[] {1, 2, 1}, new int[] {3, 0, 200});
        float[] features = new float[203];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) Math.cos(i);
        }
        for (long version : new long[] {KeyState.STARTING_MODEL, 42L}) {
            KeyState s = new KeyState(new float[] {1f, -2f}, 9, 123L, features, parts, version);
            DataOutputSerializer out = new DataOutputSerializer(64);
            RnnKeyStateSerializer.INSTANCE.serialize(s, out);
            byte[] v5 = out.getCopyOfBuffer();
            assertEquals(5, v5[0]);
            KeyState back = RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(v5));
            assertEquals(s, back);
            assertSame(parts, back.parts(), "interned: restored keys share their parts");
            assertEquals(version, back.modelVersion());
            // format, recurrent, steps, time, version, meaning, count, 3 parts (200 takes two bytes), features
            assertEquals(1 + 4 + 8 + 8 + 8 + 8 + 4 + 1 + 3 + 3 + 4 + 4 + 203 * 4, v5.length);
        }
    }

    @Test
    void aKeyThatHoldsItsHistoryIsWrittenInFormat6AndWithoutItStillInFormat5() throws IOException {
        StateParts parts = StateParts.of(77, new int[] {1, 16}, new int[] {1, 3}, new int[] {3, 5});
        float[] features = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f};
        KeyState s = new KeyState(new float[] {1f, -2f}, 9, 123L, features, parts, 42L);
        DataOutputSerializer out = new DataOutputSerializer(64);
        RnnKeyStateSerializer.INSTANCE.serialize(s, out);
        byte[] v5 = out.getCopyOfBuffer();
        assertEquals(5, v5[0], "no history: what the version before it reads");
        s.history(new float[] {0.5f, -1.5f, Float.MIN_VALUE});
        out.clear();
        RnnKeyStateSerializer.INSTANCE.serialize(s, out);
        byte[] v6 = out.getCopyOfBuffer();
        assertEquals(6, v6[0]);
        assertEquals(v5.length + 4 + 3 * 4, v6.length, "format 5, then the history's length and floats");
        KeyState back = RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(v6));
        assertEquals(s, back);
        assertEquals(3, back.history().length);
        assertEquals(s, RnnKeyStateSerializer.INSTANCE.copy(s));
        assertTrue(RnnKeyStateSerializer.INSTANCE.copy(s).history() != s.history(), "a copy has its own history");
    }

    @Test
    void featuresThatDoNotAddUpToTheirPartsAreAClearError() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeByte(5);
        out.writeInt(0);
        out.writeLong(1);
        out.writeLong(2);
        out.writeLong(KeyState.STARTING_MODEL);
        out.writeInt(0);
        out.writeByte(1);
        out.writeByte(1);
        out.writeByte(1);
        out.writeByte(3);
        out.writeInt(2);
        out.writeFloat(1f);
        out.writeFloat(2f);
        IOException e = assertThrows(IOException.class, () -> RnnKeyStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer())));
        assertTrue(e.getMessage().contains("add up to 3"), e.getMessage());
    }

    @Test
    void restoresFormat2KeepingTheRecurrentStateAndDroppingTheOldAnomalyFields() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeByte(2);
        out.writeInt(2);
        out.writeFloat(0.5f);
        out.writeFloat(-1.5f);
        out.writeLong(17);
        out.writeLong(1_700_000_000_000L);
        out.writeInt(1); // one target: last forecast, error scale, errors scored
        out.writeFloat(4f);
        out.writeFloat(0.75f);
        out.writeLong(16);
        out.writeByte(3); // a format 3 value right behind it: the format 2 value was read to its end
        out.writeInt(0);
        out.writeLong(0);
        out.writeLong(KeyState.NO_EVENT_TIME);
        out.writeInt(0);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        KeyState v2 = RnnKeyStateSerializer.INSTANCE.deserialize(in);
        assertEquals(new KeyState(new float[] {0.5f, -1.5f}, 17, 1_700_000_000_000L, null), v2);
        assertEquals(KeyState.fresh(0), RnnKeyStateSerializer.INSTANCE.deserialize(in));
        assertEquals(0, in.available());
    }

    @Test
    void restoresStateWrittenByVersion1() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream(V1_RESOURCE)) {
            assertTrue(in != null, "missing test resource " + V1_RESOURCE);
            bytes = in.readAllBytes();
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot<KeyState> old =
                TypeSerializerSnapshot.readVersionedSnapshot(in, getClass().getClassLoader());
        assertEquals(1, old.getCurrentVersion());
        TypeSerializerSchemaCompatibility<KeyState> compat =
                RnnKeyStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old);
        assertTrue(compat.isCompatibleAsIs(), "current serializer must read version 1 as is");
        TypeSerializer<KeyState> reader = old.restoreSerializer();
        for (int i = 0; i < V1_VALUES; i++) {
            assertEquals(v1Value(i), reader.deserialize(in), "value " + i);
        }
        assertEquals(0, in.available(), "trailing bytes");
    }

    @Test
    void aHistoryOnAStateInAnOldLayoutFailsTheWriteInsteadOfBeingDropped() {
        KeyState legacy = new KeyState(new float[] {1f}, 3, 5L, new float[] {2f});
        legacy.history(new float[] {7f, 8f});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RnnKeyStateSerializer.INSTANCE.serialize(legacy, new DataOutputSerializer(64)));
        assertTrue(e.getMessage().contains("holds a history of 2 floats"), e.getMessage());
    }

    @Test
    void unknownFormatIsAClearError() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {9, 0, 0, 0, 0});
        IOException e = assertThrows(IOException.class, () -> RnnKeyStateSerializer.INSTANCE.deserialize(in));
        assertTrue(e.getMessage().contains("unknown KeyState format 9"), e.getMessage());
    }

    /** Writes the v1 resource; run once when the format was introduced, never again for version 1. */
    public static void main(String[] args) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, RnnKeyStateSerializer.INSTANCE.snapshotConfiguration());
        for (int i = 0; i < V1_VALUES; i++) {
            RnnKeyStateSerializer.INSTANCE.serialize(v1Value(i), out);
        }
        Path p = Paths.get(args[0]);
        Files.write(p, out.getCopyOfBuffer());
        System.out.println("wrote " + p.toAbsolutePath());
    }
}
