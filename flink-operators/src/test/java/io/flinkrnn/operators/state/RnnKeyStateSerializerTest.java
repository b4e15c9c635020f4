package io.flinkrnn.operators.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The state serializer round-trips, and reads what version 1 wrote: {@code state/rnn-key-state-v1.bin}
 * was written by version 1 (a versioned serializer snapshot followed by {@link #V1_VALUES} values) and is
 * kept unchanged, so any later serializer must still restore savepoints of version 1.
 */
class RnnKeyStateSerializerTest {
    static final String V1_RESOURCE = "/state/rnn-key-state-v1.bin";
    static final int V1_VALUES = 3;

    /** The values stored in the v1 resource. */
    static RnnKeyState v1Value(int i) {
        float[] r = new float[4 + i];
        for (int j = 0; j < r.length; j++) {
            r[j] = (float) Math.sin(i * 10 + j) * (j % 2 == 0 ? 1 : -1);
        }
        return new RnnKeyState(r, 1000L * i + 7, i == 0 ? RnnKeyState.NO_EVENT_TIME : 1_700_000_000_000L + i);
    }

    @Test
    void roundTrip() throws IOException {
        RnnKeyState s = v1Value(2);
        DataOutputSerializer out = new DataOutputSerializer(64);
        RnnKeyStateSerializer.INSTANCE.serialize(s, out);
        RnnKeyState back = RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(s, back);
        assertEquals(s, RnnKeyStateSerializer.INSTANCE.copy(s));
        RnnKeyState scored = new RnnKeyState(new float[] {1f, -2f}, 9, 123L, new float[] {0.5f, 7f},
                new float[] {0.25f, 3f}, 42);
        out.clear();
        RnnKeyStateSerializer.INSTANCE.serialize(scored, out);
        assertEquals(scored, RnnKeyStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(
                out.getCopyOfBuffer())), "format 2 keeps the anomaly-scoring fields");
    }

    @Test
    void restoresStateWrittenByVersion1() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream(V1_RESOURCE)) {
            assertTrue(in != null, "missing test resource " + V1_RESOURCE);
            bytes = in.readAllBytes();
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot<RnnKeyState> old =
                TypeSerializerSnapshot.readVersionedSnapshot(in, getClass().getClassLoader());
        assertEquals(1, old.getCurrentVersion());
        TypeSerializerSchemaCompatibility<RnnKeyState> compat =
                RnnKeyStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old);
        assertTrue(compat.isCompatibleAsIs(), "current serializer must read version 1 as is");
        TypeSerializer<RnnKeyState> reader = old.restoreSerializer();
        for (int i = 0; i < V1_VALUES; i++) {
            assertEquals(v1Value(i), reader.deserialize(in), "value " + i);
        }
        assertEquals(0, in.available(), "trailing bytes");
    }

    @Test
    void unknownFormatIsAClearError() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {9, 0, 0, 0, 0});
        IOException e = assertThrows(IOException.class, () -> RnnKeyStateSerializer.INSTANCE.deserialize(in));
        assertTrue(e.getMessage().contains("unknown RnnKeyState format 9"), e.getMessage());
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
