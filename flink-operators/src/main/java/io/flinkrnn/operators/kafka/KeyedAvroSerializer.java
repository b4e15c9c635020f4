package io.flinkrnn.operators.kafka;

import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.operators.kafka.registry.SchemaRegistryClient;
import io.flinkrnn.operators.kafka.registry.SubjectStrategy;
import io.flinkrnn.operators.kafka.registry.WireFormat;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records as Avro binary values with the series key (UTF-8) as the Kafka key, so every record of a
 * key lands in the same partition, in order. With a registry, the record's schema is registered when the
 * sink opens (under the subject the {@link SubjectStrategy} names; an unreachable registry is retried, then
 * fails the task) and every value is framed with its id.
 */
final class KeyedAvroSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final Class<T> type;
    private final KeySelector<T, String> key;
    private final RegistrySettings registry;
    private final SubjectStrategy subjects;
    private transient AvroCodec<T> codec;
    private transient byte[] header;

    KeyedAvroSerializer(String topic, Class<T> type, KeySelector<T, String> key) {
        this(topic, type, key, null, SubjectStrategy.TOPIC_NAME);
    }

    /** {@code registry} null: plain Avro; else framed with the id of the schema registered under the subject. */
    KeyedAvroSerializer(String topic, Class<T> type, KeySelector<T, String> key, RegistrySettings registry,
            SubjectStrategy subjects) {
        this.topic = topic;
        this.type = type;
        this.key = key;
        this.registry = registry;
        this.subjects = subjects;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        if (registry != null) {
            Schema schema = SpecificData.get().getSchema(type);
            header = WireFormat.header(new SchemaRegistryClient(registry).register(subjects.subject(topic, schema),
                    schema));
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = new AvroCodec<>(type);
        }
        if (registry != null && header == null) {
            open(null, context);
        }
        String k;
        try {
            k = key.getKey(element);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the key of " + element, e);
        }
        return new ProducerRecord<>(topic, null, timestamp, k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                codec.encode(element, header));
    }
}
