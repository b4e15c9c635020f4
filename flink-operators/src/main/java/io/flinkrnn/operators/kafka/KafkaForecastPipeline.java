package io.flinkrnn.operators.kafka;

import io.flinkrnn.operators.DeadLetters;
import io.flinkrnn.operators.ForecastStreams;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.operators.kafka.registry.SubjectStrategy;
import io.flinkrnn.schemas.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Kafka in, Kafka out: observations topic → decode → per-key checks and stepping → forecasts topic, with
 * every bad record in the dead-letter topic. Operator uids are fixed, so savepoints survive job upgrades
 * and rescaling. The input may be {@code Observation}s or records of the user's own shape mapped by field
 * name ({@link FieldMapping}), in JSON, plain Avro or the schema registry's wire format; the output plain or
 * registry Avro.
 *
 * <pre>{@code
 * KafkaForecastPipeline.builder()
 *     .bootstrapServers("kafka:9092")
 *     .forecaster(forecaster)                       // RnnForecaster.builder()...build()
 *     .groupId("traffic-forecasts")                 // also the prefix of the sinks' transactional ids
 *     .build()                                      // every setting checked, every problem named
 *     .addTo(env);
 * }</pre>
 */
public final class KafkaForecastPipeline {
    private final Builder b;

    private KafkaForecastPipeline(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds the source, the forecaster and both sinks to {@code env}. */
    public void addTo(StreamExecutionEnvironment env) {
        DataStream<SourceRecord> raw = env.fromSource(
                FlinkRnnKafka.observationSource(b.bootstrapServers, b.observations, b.groupId,
                        new ObservationDeserializer(b.format, b.mapping, b.registry, b.forecaster.settings().limits()),
                        OffsetsInitializer.committedOffsets(
                                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST), b.bounded, b.client),
                WatermarkStrategy.noWatermarks(), "observations " + b.observations).uid("flink-rnn-source");
        SingleOutputStreamOperator<Observation> decoded = FlinkRnnKafka.decoded(raw);
        ForecastStreams out = b.forecaster.apply(b.between.apply(decoded));
        RegistrySettings outRegistry = b.outputFormat == OutputFormat.AVRO_REGISTRY ? b.registry : null;
        out.forecasts().sinkTo(FlinkRnnKafka.forecastSink(b.bootstrapServers, b.forecasts, b.guarantee,
                b.groupId + "-forecasts", b.transactionTimeout, outRegistry, b.subjects, b.client)).name("forecasts "
                + b.forecasts).uid("flink-rnn-forecast-sink");
        out.deadLetters().union(decoded.getSideOutput(DeadLetters.TAG))
                .sinkTo(FlinkRnnKafka.deadLetterSink(b.bootstrapServers, b.deadLetters, b.guarantee,
                        b.groupId + "-dead-letters", b.transactionTimeout, outRegistry, b.subjects, b.client))
                .name("dead letters " + b.deadLetters).uid("flink-rnn-dead-letter-sink");
    }

    /** Named settings with defaults; {@link #build()} checks them all and names every problem at once. */
    public static final class Builder {
        private String bootstrapServers;
        private String observations = "observations";
        private String forecasts = "forecasts";
        private String deadLetters = "dead-letters";
        private String groupId = "flink-rnn";
        private ObservationFormat format = ObservationFormat.AVRO;
        private FieldMapping mapping;
        private RegistrySettings registry;
        private OutputFormat outputFormat = OutputFormat.AVRO;
        private SubjectStrategy subjects = SubjectStrategy.TOPIC_NAME;
        private DeliveryGuarantee guarantee = DeliveryGuarantee.EXACTLY_ONCE;
        private Duration transactionTimeout = Duration.ofMinutes(10);
        private Map<String, String> clientProperties = Map.of();
        private KafkaClientProperties client;
        private boolean bounded;
        private RnnForecaster forecaster;
        private UnaryOperator<DataStream<Observation>> between = UnaryOperator.identity();

        private Builder() {
        }

        /** Kafka brokers, {@code host:port[,host:port...]} (required). */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** Input topic of Observation records (default {@code observations}). */
        public Builder observationsTopic(String topic) {
            this.observations = topic;
            return this;
        }

        /** Output topic of Forecast records (default {@code forecasts}). */
        public Builder forecastsTopic(String topic) {
            this.forecasts = topic;
            return this;
        }

        /** Output topic of DeadLetter records (default {@code dead-letters}). */
        public Builder deadLettersTopic(String topic) {
            this.deadLetters = topic;
            return this;
        }

        /** Consumer group, and the prefix of the sinks' transactional ids (default {@code flink-rnn}). */
        public Builder groupId(String group) {
            this.groupId = group;
            return this;
        }

        /** How observations are encoded (default Avro). */
        public Builder format(ObservationFormat f) {
            this.format = f;
            return this;
        }

        /**
         * Reads records of your own shape (JSON or registry Avro) by field name instead of {@code Observation}s
         * (default: none, {@code Observation}s).
         */
        public Builder fieldMapping(FieldMapping m) {
            this.mapping = m;
            return this;
        }

        /** The schema registry, for the avro-registry input and output formats. */
        public Builder registry(RegistrySettings r) {
            this.registry = r;
            return this;
        }

        /** How forecasts and dead letters are written (default plain Avro). */
        public Builder outputFormat(OutputFormat f) {
            this.outputFormat = f;
            return this;
        }

        /** Registry subject of the output schemas (default {@code <topic>-value}). */
        public Builder subjectStrategy(SubjectStrategy s) {
            this.subjects = s;
            return this;
        }

        /** Default exactly-once: Kafka transactions committed on checkpoints, read with read_committed. */
        public Builder deliveryGuarantee(DeliveryGuarantee g) {
            this.guarantee = g;
            return this;
        }

        /** Kafka transaction timeout (default 10 min); keep it below the broker's transaction.max.timeout.ms. */
        public Builder transactionTimeout(Duration timeout) {
            this.transactionTimeout = timeout;
            return this;
        }

        /**
         * Kafka client properties for the source and both sinks, as Kafka spells them ({@code security.protocol},
         * {@code sasl.jaas.config}, {@code ssl.truststore.location}, ...; default none). See
         * {@link KafkaClientProperties} for the few the pipeline sets itself.
         */
        public Builder clientProperties(Map<String, String> properties) {
            this.clientProperties = properties;
            return this;
        }

        /** Stop at the offsets the topic has when the job starts (tests, backfills); default: run for ever. */
        public Builder bounded(boolean stopAtEnd) {
            this.bounded = stopAtEnd;
            return this;
        }

        /** The per-key forecaster the decoded observations go through (required). */
        public Builder forecaster(RnnForecaster f) {
            this.forecaster = f;
            return this;
        }

        /** Wraps the decoded observations before the forecaster (counting, fault injection in tests). */
        public Builder between(UnaryOperator<DataStream<Observation>> wrap) {
            this.between = wrap;
            return this;
        }

        public KafkaForecastPipeline build() {
            List<String> problems = new ArrayList<>();
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                problems.add("bootstrap servers are not set: call bootstrapServers(\"host:port\")");
            }
            for (String[] t : new String[][] {{"observations topic", observations}, {"forecasts topic", forecasts},
                {"dead-letters topic", deadLetters}, {"group id", groupId}}) {
                if (t[1] == null || t[1].isBlank()) {
                    problems.add(t[0] + " is empty");
                }
            }
            if (Objects.equals(observations, forecasts) || Objects.equals(observations, deadLetters)
                    || Objects.equals(forecasts, deadLetters)) {
                problems.add("the observations, forecasts and dead-letters topics must differ, got " + observations
                        + ", " + forecasts + ", " + deadLetters);
            }
            if (format == null || guarantee == null || between == null || outputFormat == null || subjects == null) {
                problems.add("format, output format, subject strategy, delivery guarantee and between must not be null");
            }
            if (registry == null && (format == ObservationFormat.AVRO_REGISTRY
                    || outputFormat == OutputFormat.AVRO_REGISTRY)) {
                problems.add("the avro-registry format needs the registry: call registry(RegistrySettings.of(url))");
            }
            if (mapping != null && format == ObservationFormat.AVRO) {
                problems.add("records mapped by field name need format JSON or AVRO_REGISTRY (plain Avro has no"
                        + " schema to find the fields in)");
            }
            if (mapping != null && forecaster != null && mapping.valueFields().size() != forecaster.featureCount()) {
                problems.add("the field mapping names " + mapping.valueFields().size() + " value fields "
                        + mapping.valueFields() + ", the model takes " + forecaster.featureCount() + " features");
            }
            if (transactionTimeout == null || transactionTimeout.isZero() || transactionTimeout.isNegative()) {
                problems.add("transaction timeout must be positive, got " + transactionTimeout);
            }
            if (forecaster == null) {
                problems.add("forecaster is not set: call forecaster(RnnForecaster.builder()...build())");
            }
            if (clientProperties == null) {
                problems.add("client properties must not be null");
            } else {
                problems.addAll(KafkaClientProperties.problems(clientProperties));
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid Kafka pipeline: " + String.join("; ", problems));
            }
            client = KafkaClientProperties.of(clientProperties);
            return new KafkaForecastPipeline(this);
        }
    }
}
