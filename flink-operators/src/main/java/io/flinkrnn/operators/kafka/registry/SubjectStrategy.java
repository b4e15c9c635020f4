package io.flinkrnn.operators.kafka.registry;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Which registry subject a topic's value schema is registered under, named as Confluent's serializers name
 * their strategies, so consumers configured for those find the schemas where they expect them.
 */
public enum SubjectStrategy {
    /** {@code <topic>-value}: one schema lineage per topic (Confluent's default). */
    TOPIC_NAME,
    /** The record's full name ({@code io.flinkrnn.schemas.Forecast}): one lineage per record type. */
    RECORD_NAME,
    /** {@code <topic>-<full name>}. */
    TOPIC_RECORD_NAME;

    /** The subject for values of {@code schema} written to {@code topic}. */
    public String subject(String topic, Schema schema) {
        switch (this) {
            case TOPIC_NAME:
                return topic + "-value";
            case RECORD_NAME:
                return schema.getFullName();
            default:
                return topic + "-" + schema.getFullName();
        }
    }

    /** The setting's spelling, {@code topic-name}; Flink's options match it case-insensitively. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
