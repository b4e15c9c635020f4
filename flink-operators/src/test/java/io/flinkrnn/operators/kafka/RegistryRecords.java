package io.flinkrnn.operators.kafka;

import io.flinkrnn.operators.kafka.registry.WireFormat;
import io.flinkrnn.schemas.Forecast;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

/** What a registry-aware producer writes and a registry-aware consumer reads, for the registry ITs. */
final class RegistryRecords {
    private RegistryRecords() {
    }

    /** A record of {@code schema} (id {@code id}) filled by {@code fill}, framed as a Confluent serializer frames it. */
    static byte[] framed(int id, Schema schema, Consumer<GenericRecord> fill) {
        GenericRecord r = new GenericData.Record(schema);
        fill.accept(r);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(WireFormat.header(id));
            BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(r, e);
            e.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of a framed value of {@code type}, checking that the frame names {@code expectedId}. */
    static <T extends SpecificRecord> T unframe(byte[] value, int expectedId, Class<T> type) throws IOException {
        int id = WireFormat.schemaId(value);
        if (id != expectedId) {
            throw new IOException("framed with schema id " + id + ", expected " + expectedId);
        }
        return new AvroCodec<>(type).decode(Arrays.copyOfRange(value, WireFormat.HEADER_BYTES, value.length));
    }

    static Forecast forecast(byte[] value, int expectedId) throws IOException {
        return unframe(value, expectedId, Forecast.class);
    }
}
