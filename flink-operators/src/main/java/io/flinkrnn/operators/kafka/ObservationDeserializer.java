package io.flinkrnn.operators.kafka;

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
 * Turns each Kafka record into a {@link SourceRecord}: the observation, or a dead letter with reason
 * UNDECODABLE that keeps the raw bytes and the topic, partition and offset. It never throws, so one bad
 * record cannot fail (and endlessly restart) the job.
 */
public final class ObservationDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
    private static final long serialVersionUID = 1L;
    private final ObservationFormat format;
    private transient AvroCodec<Observation> avro;

    public ObservationDeserializer(ObservationFormat format) {
        this.format = format;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        // Only decoding may fail into a dead letter. collect() stays outside the try: in a chained source it
        // runs the downstream operators, and their exceptions (a task failure) must propagate, not be
        // mistaken for a bad record.
        SourceRecord result;
        try {
            result = SourceRecord.of(decode(record.value()));
        } catch (Exception e) {
            byte[] value = record.value();
            result = SourceRecord.failed(DeadLetter.newBuilder().setReason(DeadLetterReason.UNDECODABLE)
                    .setMessage("cannot decode " + format + " observation: " + e.getMessage())
                    .setKey(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8))
                    .setPayload(value == null ? null : ByteBuffer.wrap(value)).setTopic(record.topic())
                    .setPartition(record.partition()).setOffset(record.offset()).setTime(Instant.now()).build());
        }
        out.collect(result);
    }

    private Observation decode(byte[] value) throws IOException {
        if (value == null) {
            throw new IOException("the record has no value (a tombstone)");
        }
        if (format == ObservationFormat.JSON) {
            return ObservationJson.decode(value);
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
