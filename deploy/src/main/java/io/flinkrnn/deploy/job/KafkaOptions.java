package io.flinkrnn.deploy.job;

import io.flinkrnn.operators.kafka.ObservationFormat;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Where the job reads and writes in Kafka, the input's wire format and the delivery guarantee. The output format
 * and the input's own shape are {@code FormatOptions}, the registry's settings {@code RegistryOptions}.
 */
public final class KafkaOptions {
    /** The guarantees the job offers: Flink's {@link DeliveryGuarantee} without {@code none}. */
    public enum Delivery {
        EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE),
        AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE);

        final DeliveryGuarantee guarantee;

        Delivery(DeliveryGuarantee guarantee) {
            this.guarantee = guarantee;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The prefix of Kafka's own client properties ({@code kafka.properties.security.protocol: SASL_SSL}), given to
     * every Kafka client of the job: {@code KafkaClientProperties}.
     */
    public static final String CLIENT_PROPERTIES = "kafka.properties.";
    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("kafka.bootstrap-servers")
            .stringType().defaultValue("localhost:9092").withDescription("Kafka brokers");
    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("kafka.group-id").stringType()
            .defaultValue("flink-rnn").withDescription("consumer group; also the prefix of transactional ids");
    public static final ConfigOption<String> OBSERVATIONS_TOPIC = ConfigOptions.key("topics.observations")
            .stringType().defaultValue("observations").withDescription("input topic of Observation records");
    public static final ConfigOption<String> FORECASTS_TOPIC = ConfigOptions.key("topics.forecasts").stringType()
            .defaultValue("forecasts").withDescription("output topic of Forecast records (Avro)");
    public static final ConfigOption<String> DEAD_LETTERS_TOPIC = ConfigOptions.key("topics.dead-letters")
            .stringType().defaultValue("dead-letters").withDescription("output topic of DeadLetter records (Avro)");
    public static final ConfigOption<ObservationFormat> INPUT_FORMAT = ConfigOptions.key("input.format")
            .enumType(ObservationFormat.class).defaultValue(ObservationFormat.AVRO).withDescription("avro"
                    + " (Observation records), json ({key, eventTime, values}, or your own shape through"
                    + " input.key-field, input.time-field and input.value-fields) or avro-registry (the schema"
                    + " registry's wire format: the producer's schema fetched by id and resolved, so producers may"
                    + " evolve it; Observation-shaped or your own shape)");
    public static final ConfigOption<Delivery> DELIVERY_GUARANTEE = ConfigOptions.key("delivery.guarantee")
            .enumType(Delivery.class).defaultValue(Delivery.EXACTLY_ONCE).withDescription("exactly-once (Kafka"
                    + " transactions committed on checkpoints; read with read_committed) or at-least-once");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions.key(
            "delivery.transaction-timeout").durationType().defaultValue(Duration.ofMinutes(10)).withDescription(
            "Kafka transaction timeout; below the broker's transaction.max.timeout.ms (15 min by default)");

    private KafkaOptions() {
    }
}
