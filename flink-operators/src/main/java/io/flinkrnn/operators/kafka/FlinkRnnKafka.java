package io.flinkrnn.operators.kafka;

import io.flinkrnn.operators.DeadLetters;
import io.flinkrnn.operators.InputLimits;
import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.operators.kafka.registry.SubjectStrategy;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Kafka wiring for the forecasting pipeline: a source of observations (Avro, JSON or registry Avro) that
 * never fails on a bad record, and sinks of forecasts and dead letters (Avro or registry Avro, keyed by series
 * key) with exactly-once or at-least-once delivery.
 */
public final class FlinkRnnKafka {
    private FlinkRnnKafka() {
    }

    /**
     * Model updates from a control topic, for {@code RnnForecaster.Builder#modelUpdates}: every operator
     * instance reads every partition; a read to the topic's end that takes over a minute fails the task.
     */
    public static KafkaModelUpdateFeed modelUpdates(String bootstrapServers, String topic) {
        return modelUpdates(bootstrapServers, topic, KafkaClientProperties.none());
    }

    /** As above, the reader opened with {@code client} (security settings and the like). */
    public static KafkaModelUpdateFeed modelUpdates(String bootstrapServers, String topic,
            KafkaClientProperties client) {
        return new KafkaModelUpdateFeed(bootstrapServers, topic, Duration.ofMinutes(1), client);
    }

    /**
     * A source of observation topics. Read with {@code read_committed}, so that a flink-rnn job can consume
     * another's exactly-once output. Use {@code bounded} for replays and tests: the source stops at the
     * offsets that were latest when the job started.
     */
    public static KafkaSource<SourceRecord> observationSource(String bootstrapServers, String topic, String groupId,
            ObservationFormat format, InputLimits limits, OffsetsInitializer startingOffsets, boolean bounded) {
        return observationSource(bootstrapServers, topic, groupId, new ObservationDeserializer(format, limits),
                startingOffsets, bounded, KafkaClientProperties.none());
    }

    /**
     * As above, decoding with {@code deserializer} (records of a user's own shape, registry Avro: see {@link
     * ObservationDeserializer}'s constructors), the consumers opened with {@code client}.
     */
    public static KafkaSource<SourceRecord> observationSource(String bootstrapServers, String topic, String groupId,
            ObservationDeserializer deserializer, OffsetsInitializer startingOffsets, boolean bounded,
            KafkaClientProperties client) {
        KafkaSourceBuilder<SourceRecord> b = KafkaSource.<SourceRecord>builder();
        client.applyTo(b::setProperty);
        b.setBootstrapServers(bootstrapServers).setTopics(topic).setGroupId(groupId)
                .setStartingOffsets(startingOffsets).setDeserializer(deserializer)
                .setProperty("isolation.level", "read_committed");
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /**
     * Forecasts as Avro values keyed by series key. With {@link DeliveryGuarantee#EXACTLY_ONCE} records are
     * written in Kafka transactions committed on checkpoints; {@code transactionTimeout} must be below the
     * broker's {@code transaction.max.timeout.ms} (15 min by default) and above the checkpoint interval plus
     * the longest expected restart.
     */
    public static KafkaSink<Forecast> forecastSink(String bootstrapServers, String topic, DeliveryGuarantee guarantee,
            String transactionalIdPrefix, Duration transactionTimeout) {
        return forecastSink(bootstrapServers, topic, guarantee, transactionalIdPrefix, transactionTimeout, null,
                SubjectStrategy.TOPIC_NAME, KafkaClientProperties.none());
    }

    /**
     * As above; with {@code registry} (null: plain Avro) the Forecast schema is registered under the subject
     * {@code subjects} names and every value is framed with its id (the registry's wire format); the producers
     * are opened with {@code client}.
     */
    public static KafkaSink<Forecast> forecastSink(String bootstrapServers, String topic, DeliveryGuarantee guarantee,
            String transactionalIdPrefix, Duration transactionTimeout, RegistrySettings registry,
            SubjectStrategy subjects, KafkaClientProperties client) {
        return sink(bootstrapServers, guarantee, transactionalIdPrefix, transactionTimeout, client,
                new KeyedAvroSerializer<>(topic, Forecast.class, Forecast::getKey, registry, subjects));
    }

    /** Dead letters as Avro values keyed by series key (when known). */
    public static KafkaSink<DeadLetter> deadLetterSink(String bootstrapServers, String topic,
            DeliveryGuarantee guarantee, String transactionalIdPrefix, Duration transactionTimeout) {
        return deadLetterSink(bootstrapServers, topic, guarantee, transactionalIdPrefix, transactionTimeout, null,
                SubjectStrategy.TOPIC_NAME, KafkaClientProperties.none());
    }

    /** As above; with {@code registry}, framed as {@link #forecastSink} frames forecasts. */
    public static KafkaSink<DeadLetter> deadLetterSink(String bootstrapServers, String topic,
            DeliveryGuarantee guarantee, String transactionalIdPrefix, Duration transactionTimeout,
            RegistrySettings registry, SubjectStrategy subjects, KafkaClientProperties client) {
        return sink(bootstrapServers, guarantee, transactionalIdPrefix, transactionTimeout, client,
                new KeyedAvroSerializer<>(topic, DeadLetter.class, DeadLetter::getKey, registry, subjects));
    }

    private static <T> KafkaSink<T> sink(String bootstrapServers, DeliveryGuarantee guarantee, String prefix,
            Duration transactionTimeout, KafkaClientProperties client,
            org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> serializer) {
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && (prefix == null || prefix.isBlank())) {
            throw new IllegalArgumentException("an exactly-once Kafka sink needs a transactional id prefix, unique"
                    + " per sink and job");
        }
        if (transactionTimeout == null || transactionTimeout.isNegative() || transactionTimeout.isZero()) {
            throw new IllegalArgumentException("transaction timeout must be positive, got " + transactionTimeout);
        }
        KafkaSinkBuilder<T> b = KafkaSink.<T>builder();
        client.applyTo(b::setProperty);
        return b.setBootstrapServers(bootstrapServers).setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(prefix == null ? "flink-rnn" : prefix)
                .setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()))
                .setRecordSerializer(serializer).build();
    }

    /** Splits the source's records: observations go on, undecodable records to {@link DeadLetters#TAG}. */
    public static SingleOutputStreamOperator<Observation> decoded(DataStream<SourceRecord> records) {
        return records.process(new Split(), new AvroTypeInfo<>(Observation.class))
                .setParallelism(records.getParallelism()).name("flink-rnn decode").uid("flink-rnn-decode");
    }

    private static final class Split extends ProcessFunction<SourceRecord, Observation> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(SourceRecord value, Context ctx, Collector<Observation> out) {
            if (value.observation != null) {
                out.collect(value.observation);
            } else {
                ctx.output(DeadLetters.TAG, value.deadLetter);
            }
        }
    }
}
