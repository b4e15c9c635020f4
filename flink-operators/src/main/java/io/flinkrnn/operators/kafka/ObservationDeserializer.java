package io.flinkrnn.operators.kafka;

import io.flinkrnn.operators.DeadLetters;
import io.flinkrnn.operators.InputLimits;
import io.flinkrnn.operators.kafka.registry.RegistryFailedException;
import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Observation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each Kafka record into a {@link SourceRecord}: the observation, or a dead letter that keeps (the start
 * of) the raw bytes and the topic, partition and offset: RECORD_TOO_LARGE for a value or key over {@link
 * InputLimits#maxRecordBytes()} (not decoded at all), the reason of a {@link RejectedRecord} (TOO_MANY_VALUES,
 * UNKNOWN_SCHEMA_ID, MISSING_FIELD), or UNDECODABLE. No record makes it throw, so one bad record cannot fail
 * (and endlessly restart) the job; only a registry that cannot be used does ({@link RegistryFailedException},
 * after its retries), so that the record that needed it is read again after Flink's restart instead of
 * becoming a dead letter.
 */
public final class ObservationDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
    private static final long serialVersionUID = 1L;
    private final ObservationFormat format;
    private final FieldMapping mapping;
    private final RegistrySettings registry;
    private final InputLimits limits;
    private transient AvroCodec<Observation> avro;
    private transient ObservationJson json;
    private transient MappedJson mappedJson;
    private transient RegistryAvroDecoder registryAvro;

    public ObservationDeserializer(ObservationFormat format, InputLimits limits) {
        this(format, null, null, limits);
    }

    /**
     * {@code mapping} null: {@code Observation} records; else records of that shape (JSON or registry Avro).
     * {@code registry}: needed by {@link ObservationFormat#AVRO_REGISTRY}, ignored otherwise.
     */
    public ObservationDeserializer(ObservationFormat format, FieldMapping mapping, RegistrySettings registry,
            InputLimits limits) {
        if (format == ObservationFormat.AVRO_REGISTRY && registry == null) {
            throw new IllegalArgumentException("input format avro-registry needs the registry's settings (registry.url)");
        }
        if (format == ObservationFormat.AVRO && mapping != null) {
            throw new IllegalArgumentException("records mapped by field name need input format json or avro-registry;"
                    + " plain avro carries no schema to find the fields in");
        }
        this.format = format;
        this.mapping = mapping;
        this.registry = registry;
        this.limits = limits;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        // Only decoding may fail into a dead letter. collect() stays outside the try: in a chained source it
        // runs the downstream operators, and their exceptions (a task failure) must propagate, not be
        // mistaken for a bad record.
        SourceRecord result;
        byte[] value = record.value();
        byte[] key = record.key();
        if (value != null && value.length > limits.maxRecordBytes()) {
            result = failed(record, DeadLetterReason.RECORD_TOO_LARGE, "record of " + value.length + " bytes, at most "
                    + limits.maxRecordBytes());
        } else if (key != null && key.length > limits.maxRecordBytes()) {
            result = failed(record, DeadLetterReason.RECORD_TOO_LARGE, "Kafka key of " + key.length + " bytes, at"
                    + " most " + limits.maxRecordBytes());
        } else {
            try {
                result = SourceRecord.of(decode(value));
            } catch (RejectedRecord e) {
                result = failed(record, e.reason(), e.getMessage());
            } catch (RegistryFailedException e) {
                throw e;
            } catch (Exception | StackOverflowError e) {
                result = failed(record, DeadLetterReason.UNDECODABLE, "cannot decode " + format + " observation: "
                        + e.getMessage());
            }
        }
        out.collect(result);
    }

    private static SourceRecord failed(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason,
            String message) {
        byte[] value = record.value();
        byte[] key = record.key();
        // The Kafka key is kept for reference only (the series key is the record's own); cut before decoding.
        String keyText = key == null ? null : new String(key, 0, Math.min(key.length, 1024), StandardCharsets.UTF_8);
        return SourceRecord.failed(DeadLetters.bounded(DeadLetter.newBuilder().setReason(reason)
                .setMessage(message).setKey(keyText).setPayload(value == null ? null : ByteBuffer.wrap(value))
                .setTopic(record.topic()).setPartition(record.partition()).setOffset(record.offset())
                .setTime(Instant.now()).build()));
    }

    private Observation decode(byte[] value) throws IOException {
        if (value == null) {
            throw new IOException("the record has no value (a tombstone)");
        }
        if (format == ObservationFormat.AVRO_REGISTRY) {
            if (registryAvro == null) {
                registryAvro = new RegistryAvroDecoder(registry, mapping);
            }
            return registryAvro.decode(value);
        }
        if (format == ObservationFormat.JSON && mapping != null) {
            if (mappedJson == null) {
                mappedJson = new MappedJson(mapping, limits);
            }
            return mappedJson.decode(value);
        }
        if (format == ObservationFormat.JSON) {
            if (json == null) {
                json = new ObservationJson(limits);
            }
            return json.decode(value);
        }
        if (avro == null) {
            avro = new AvroCodec<>(Observation.class);
        }
        return avro.decode(value);
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return SourceRecord.typeInfo();
    }
}
