package io.flinkrnn.operators.kafka;

import io.flinkrnn.schemas.Forecast;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro binary (no container, no schema id) for one record type: the wire format of the project's topics.
 * Not thread-safe; one per task.
 */
public final class AvroCodec<T extends SpecificRecord> {
    /** Writes one record's fields: Avro's writer, or for a Forecast the same bytes by {@link ForecastEncoder}. */
    private interface FieldsWriter<T> {
        void write(T record, Encoder out) throws IOException;
    }

    private final FieldsWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    public AvroCodec(Class<T> type) {
        if (type == Forecast.class) {
            writer = (record, out) -> ForecastEncoder.write((Forecast) record, out);
        } else {
            writer = new SpecificDatumWriter<>(type)::write;
        }
        reader = new SpecificDatumReader<>(type);
    }

    public byte[] encode(T record) {
        return encode(record, null);
    }

    /** {@code header} (a registry frame; null: none), then the record. */
    public byte[] encode(T record, byte[] header) {
        try {
            bytes.reset();
            if (header != null) {
                bytes.write(header);
            }
            encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            writer.write(record, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            encoder = null;
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            encoder = null; // its buffer holds part of this record: the next must not start with it
            throw e;
        }
    }

    /** Decodes one record and checks that no bytes are left over (a sign of a wrong schema). */
    public T decode(byte[] data) throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(data, decoder);
        T record = reader.read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("trailing bytes after an Avro record: not an Observation, or a newer schema");
        }
        return record;
    }
}
